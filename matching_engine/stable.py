"""Stable matching: mentee-proposing deferred acceptance with mentor capacities.

Both sides rank the candidate pairs by score, best first; a mentee breaks ties by the
lower mentor index, a mentor by the lower mentee index, so every preference is strict.
The rounds are array operations (all free mentees propose at once; each mentor keeps
its best ``capacity`` of what it holds and what it was offered), with no recursion and
no per-proposal Python loop. Pairs outside the candidates are not acceptable to either
side, so stability (and :func:`blocking_pairs`) refers to the candidate pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.solve import assigned_pairs, pairs_total, preference_order, trivial_bound

IntArray = npt.NDArray[np.int64]


def deferred_acceptance(c: Candidates) -> Assignment:
    """The mentee-optimal stable matching over the candidate pairs.

    ``upper_bound`` is the trivial bound (each mentee's best pair); the caller may replace
    it with the optimal solver's bound to show what stability costs.
    """
    order = preference_order(c.mentee, c.score, c.mentor)  # pairs by mentee, best first
    ends = np.searchsorted(c.mentee[order], np.arange(c.n_mentees), side="right")
    cursor = np.searchsorted(c.mentee[order], np.arange(c.n_mentees), side="left")
    priority = _mentor_rank(c)
    held = np.zeros(0, np.int64)  # pairs, sorted by priority
    free: npt.NDArray[np.integer[Any]] = np.flatnonzero(cursor < ends)
    while free.size:
        offers = order[cursor[free]]
        cursor[free] += 1
        held, rejected = _keep_best(c, priority, held, offers)
        free = c.mentee[rejected]
        free = free[cursor[free] < ends[free]]
    mentor_of = np.full(c.n_mentees, -1, np.int32)
    mentor_of[c.mentee[held]] = c.mentor[held]
    return Assignment(mentor_of, pairs_total(c, mentor_of), trivial_bound(c), Mode.STABLE)


def blocking_pairs(c: Candidates, assignment: Assignment) -> int:
    """How many candidate pairs ``(m, r)`` would both rather be together than as matched.

    ``m`` prefers ``r`` when unmatched or when ``r`` ranks above its mentor; ``r`` prefers
    ``m`` when it has room or when ``m`` ranks above its worst assignee.
    """
    matched = assigned_pairs(c, assignment.mentor_of)
    mentee_rank, mentor_rank = _mentee_rank(c), _mentor_rank(c)
    own = np.full(c.n_mentees, np.iinfo(np.int64).max)
    own[c.mentee[matched]] = mentee_rank[matched]
    worst = np.full(len(c.capacity), -1, np.int64)
    np.maximum.at(worst, c.mentor[matched], mentor_rank[matched])
    load = np.bincount(c.mentor[matched], minlength=len(c.capacity))
    mentee_wants = mentee_rank < own[c.mentee]
    mentor_wants = (load[c.mentor] < c.capacity[c.mentor]) | (mentor_rank < worst[c.mentor])
    return int((mentee_wants & mentor_wants).sum())


def _keep_best(
    c: Candidates, priority: IntArray, held: IntArray, offers: IntArray
) -> tuple[IntArray, IntArray]:
    """Each mentor keeps its best ``capacity`` pairs among those held and offered."""
    pool = np.concatenate([held, offers[np.argsort(priority[offers])]])
    # Two sorted runs: the stable sort (timsort) merges them in linear time.
    pool = pool[np.argsort(priority[pool], kind="stable")]
    mentors = c.mentor[pool]
    starts = np.flatnonzero(np.r_[True, mentors[1:] != mentors[:-1]])
    lengths = np.diff(np.r_[starts, len(pool)])
    place = np.arange(len(pool)) - np.repeat(starts, lengths)
    keep = place < c.capacity[mentors]
    return pool[keep], pool[~keep]


def _mentee_rank(c: Candidates) -> IntArray:
    """Each pair's position in (mentee, best score first, lower mentor first) order."""
    return _positions(preference_order(c.mentee, c.score, c.mentor))


def _mentor_rank(c: Candidates) -> IntArray:
    """Each pair's position in (mentor, best score first, lower mentee first) order."""
    return _positions(preference_order(c.mentor, c.score, c.mentee))


def _positions(order: npt.NDArray[np.intp]) -> IntArray:
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank
