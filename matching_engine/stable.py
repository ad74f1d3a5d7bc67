"""Stable matching: mentee-proposing deferred acceptance with mentor capacities.

Both sides rank the candidate pairs by score, best first; a mentee breaks ties by the
lower mentor index, a mentor by the lower mentee index, so every preference is strict.
The rounds are array operations (all free mentees propose at once; each mentor keeps
its best ``capacity`` of what it holds and what it was offered), with no recursion and
no per-proposal Python loop. Pairs outside the candidates are not acceptable to either
side, so stability (and :func:`blocking_pairs`) refers to the candidate pairs.

:func:`stable_match` makes a matching over pruned candidates stable over every allowed
pair: it looks for blocking pairs among those left out (few people can be in one, see
there), adds them to the candidates and runs deferred acceptance again, until none is left.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.scoring import Problem
from matching_engine.solve import (
    assigned_pairs,
    mentor_cutoffs,
    pairs_total,
    preference_order,
    trivial_bound,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]

# Cutoffs come from the block totals, candidate scores from the per-component formulas; they
# agree to float32 rounding, so the filters below allow this much more (a superset, never less).
SLACK = 1e-4


class StableMatch(NamedTuple):
    """A stable matching and the candidates it is stable over (``c`` and the pairs added)."""

    assignment: Assignment
    candidates: Candidates


def stable_match(problem: Problem, c: Candidates, *, k: int | None = None) -> StableMatch:
    """The mentee-optimal stable matching, with no blocking pair among ALL allowed pairs.

    ``c`` comes from ``problem.candidates(k=k)``; give the same ``k`` (it lets each
    mentor's left-out pairs be bounded, see :func:`matching_engine.solve.mentor_cutoffs`,
    so far fewer pairs are checked; without it every mentor is checked). With complete
    candidates this is :func:`deferred_acceptance`. Otherwise, after each run, an allowed
    pair left out of the candidates can block only if the mentee is unmatched or matched
    no better than its cutoff (every left-out pair of it scores at most that), and the
    mentor has room or holds someone no better than its own cutoff: only those pairs are
    scored (as the candidates were). The blocking ones join the candidates and deferred
    acceptance runs again, until no allowed pair blocks. Preferences are those of
    :func:`deferred_acceptance` over the grown candidates, returned with the matching
    (its pairs may be among those added; report and explain against them).
    """
    assignment = deferred_acceptance(c)
    if c.complete:
        return StableMatch(assignment, c)
    mentor_cutoff = mentor_cutoffs(c, k) if k else None
    while True:
        found = _left_out_blocking(problem, c, assignment, mentor_cutoff)
        if not len(found[0]):
            return StableMatch(assignment, c)
        c = _with_pairs(c, *found)
        assignment = deferred_acceptance(c)


def _left_out_blocking(
    problem: Problem, c: Candidates, assignment: Assignment, mentor_cutoff: FloatArray | None
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """The allowed pairs outside ``c`` that block ``assignment``: mentee, mentor, score, components."""
    matched = assigned_pairs(c, assignment.mentor_of)
    own = np.full(c.n_mentees, -np.inf)
    own[c.mentee[matched]] = c.score[matched]
    cutoff = c.cutoff if len(c.cutoff) else np.full(c.n_mentees, np.inf, np.float32)
    mentees = np.flatnonzero(own <= cutoff.astype(np.float64) + SLACK)
    # Each mentor's worst assignee (lowest score, then highest index) and its load.
    worst_score = np.full(len(c.capacity), np.inf)
    worst_mentee = np.full(len(c.capacity), -1, np.int64)
    worst_first = matched[np.lexsort((-c.mentee[matched], c.score[matched]))]
    held, first = np.unique(c.mentor[worst_first], return_index=True)
    worst_score[held] = c.score[worst_first[first]]
    worst_mentee[held] = c.mentee[worst_first[first]]
    room = np.bincount(c.mentor[matched], minlength=len(c.capacity)) < c.capacity
    if mentor_cutoff is None:
        mentors = np.flatnonzero(c.capacity > 0)
    else:
        reach = room | (worst_score <= mentor_cutoff.astype(np.float64) + SLACK)
        mentors = np.flatnonzero((mentor_cutoff >= 0) & reach & (c.capacity > 0))
    empty = np.zeros(0, np.int64)
    if not len(mentees) or not len(mentors):
        return empty, empty, np.zeros(0, np.float32), np.zeros((0, 6), np.float32)
    score, components, allowed = problem.grid(mentees, mentors)
    rows, cols = np.repeat(mentees, len(mentors)), np.tile(mentors, len(mentees))
    mentee_wants = (score > own[rows]) | (
        (score == own[rows]) & (cols < assignment.mentor_of[rows].astype(np.int64))
    )
    mentor_wants = (
        room[cols]
        | (score > worst_score[cols])
        | ((score == worst_score[cols]) & (rows < worst_mentee[cols]))
    )
    keys = np.sort(c.mentee.astype(np.int64) * len(c.capacity) + c.mentor)
    keep = allowed & mentee_wants & mentor_wants
    keep[keep] = ~_isin_sorted(rows[keep] * len(c.capacity) + cols[keep], keys)
    return rows[keep], cols[keep], score[keep], components[keep]


def _isin_sorted(values: IntArray, sorted_keys: IntArray) -> npt.NDArray[np.bool_]:
    if not len(sorted_keys):
        return np.zeros(len(values), np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == values)


def _with_pairs(
    c: Candidates, mentee: IntArray, mentor: IntArray, score: FloatArray, components: FloatArray
) -> Candidates:
    """``c`` (in (mentee, mentor) order) with more pairs, in the same order."""
    n = len(c.capacity)
    order = np.argsort(mentee * n + mentor)
    at = np.searchsorted(c.mentee.astype(np.int64) * n + c.mentor, mentee[order] * n + mentor[order])
    return replace(
        c,
        mentee=np.insert(c.mentee, at, mentee[order].astype(np.int32)),
        mentor=np.insert(c.mentor, at, mentor[order].astype(np.int32)),
        score=np.insert(c.score, at, score[order]),
        components=np.insert(c.components, at, components[order], axis=0),
    )


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
