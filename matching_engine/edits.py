"""A manager's edits to an assignment under review, planned before they are made.

A plan lists every mentee whose mentor changes, with the pair's score before and after.
The review's preview ("what would it cost?", the swap list) shows a plan, and the edit
applies the very same plan: the figures a manager reads are the ones the edit makes.

Moving mentee ``i`` to a full mentor ``j`` makes room: of ``j``'s unlocked mentees, the
one whose leaving costs least goes to its best allowed mentor with room left, or stays
unmatched when none has room. Swapping exchanges two matched mentees' mentors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


class PairSource(Protocol):
    """What the plans ask of ``scoring.Problem``."""

    def pairs(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> tuple[Any, Any, Any]:
        """Scores, components and allowed flags of the pairs listed."""
        ...


@dataclass(frozen=True, eq=False)
class Current:
    """An assignment under review, by mentee: ``mentor_of`` (-1 when unmatched), the
    pair's ``score`` (0 when unmatched) and whether it is ``locked``; by mentor: the
    ``capacity`` (mentees it may take in this run)."""

    mentor_of: npt.NDArray[np.int32]
    score: npt.NDArray[np.float64]
    locked: npt.NDArray[np.bool_]
    capacity: npt.NDArray[np.int32]

    def load(self) -> Ints:
        """Mentees each mentor has."""
        taken = self.mentor_of[self.mentor_of >= 0]
        return np.bincount(taken, minlength=len(self.capacity)).astype(np.int64)


@dataclass(frozen=True)
class Step:
    """One mentee's mentor changes (a mentor index, -1 for none)."""

    mentee: int
    before: int
    after: int
    score_before: float
    score_after: float


@dataclass(frozen=True)
class Plan:
    """The steps of one edit; ``delta`` is what it does to the total score."""

    steps: tuple[Step, ...]

    @property
    def delta(self) -> float:
        return float(sum(s.score_after - s.score_before for s in self.steps))

    @property
    def matched_change(self) -> int:
        """Mentees matched after the edit minus before."""
        return sum((s.after >= 0) - (s.before >= 0) for s in self.steps)


class Refused(Exception):
    """The edit cannot be made. ``kind`` says why: ``already`` (the mentee has that
    mentor), ``forbidden`` (a hard rule forbids ``pair``), ``full`` (the mentor offered
    no room), ``all_locked`` (the mentor is full of locked pairs), ``locked`` (the
    mentee's pair is locked), ``unmatched`` (a swap needs two matched mentees),
    ``same_mentor`` (both already share a mentor)."""

    def __init__(self, kind: str, mentee: int = -1, mentor: int = -1) -> None:
        super().__init__(kind)
        self.kind, self.pair = kind, (mentee, mentor)


def plan_move(problem: PairSource, current: Current, mentee: int, mentor: int) -> Plan:
    """The plan that gives ``mentee`` (matched or not) to ``mentor``."""
    i, j = mentee, mentor
    before = int(current.mentor_of[i])
    if before == j:
        raise Refused("already", i, j)
    if current.locked[i]:
        raise Refused("locked", i)
    score, _, allowed = problem.pairs([i], [j])
    if not bool(allowed[0]):
        raise Refused("forbidden", i, j)
    if current.capacity[j] <= 0:
        raise Refused("full", i, j)
    first = Step(i, before, j, float(current.score[i]), float(score[0]))
    load = current.load()
    load[j] += 1
    if before >= 0:
        load[before] -= 1
    if load[j] <= current.capacity[j]:
        return Plan((first,))
    return Plan((first, _make_room(problem, current, load, i, j)))


def _make_room(problem: PairSource, current: Current, load: Ints, i: int, j: int) -> Step:
    """Of ``j``'s unlocked mentees other than ``i``, the one whose leaving costs least
    (its score less that of its best mentor with room), sent there or unmatched."""
    theirs = np.flatnonzero((current.mentor_of == j) & ~current.locked)
    theirs = theirs[theirs != i]
    if not len(theirs):
        raise Refused("all_locked", i, j)
    room = load < current.capacity
    room[j] = False
    to, score = best_with_room(problem, theirs, room)
    k = int(np.argmin(current.score[theirs] - score))
    out = int(theirs[k])
    return Step(out, j, int(to[k]), float(current.score[out]), float(score[k]))


def best_with_room(
    problem: PairSource, mentees: npt.ArrayLike, room: npt.NDArray[np.bool_]
) -> tuple[Ints, npt.NDArray[np.float64]]:
    """Each mentee's best allowed mentor among those with ``room``, and its score
    (-1 and 0 when it has none)."""
    rows = np.asarray(mentees, np.int64).reshape(-1)
    cols = np.flatnonzero(room)
    if not len(cols) or not len(rows):
        return np.full(len(rows), -1, np.int64), np.zeros(len(rows), np.float64)
    score, _, allowed = problem.pairs(np.repeat(rows, len(cols)), np.tile(cols, len(rows)))
    grid = np.where(allowed, score.astype(np.float64), -np.inf).reshape(len(rows), len(cols))
    best = np.argmax(grid, axis=1)
    found = grid[np.arange(len(rows)), best]
    has = np.isfinite(found)
    return np.where(has, cols[best], -1).astype(np.int64), np.where(has, found, 0.0)


@dataclass(frozen=True, eq=False)
class Swaps:
    """The allowed swaps of one mentee's mentor with other matched mentees', best first:
    ``partner`` mentees, the two new pairs' scores, and ``delta`` (the total's change)."""

    mentee: int
    partner: Ints
    score_mine: npt.NDArray[np.float64]  # the mentee with the partner's mentor
    score_theirs: npt.NDArray[np.float64]  # the partner with the mentee's mentor
    delta: npt.NDArray[np.float64]
    forbidden: int  # swaps a hard rule forbids
    locked: int  # partners left out because their pair is locked


def swap_options(
    problem: PairSource, current: Current, mentee: int, partners: npt.ArrayLike | None = None
) -> Swaps:
    """Every swap of ``mentee``'s mentor with another matched, unlocked mentee's (or with
    ``partners`` only), scored together in one batch."""
    i, a = mentee, int(current.mentor_of[mentee])
    matched = current.mentor_of >= 0
    if partners is None:
        pool = np.flatnonzero(matched & (current.mentor_of != a))
    else:
        pool = np.asarray(partners, np.int64).reshape(-1)
    locked = int(current.locked[pool].sum()) if len(pool) else 0
    pool = pool[~current.locked[pool]] if len(pool) else pool
    if a < 0 or current.locked[i] or not len(pool):
        return _no_swaps(i, locked)
    b = current.mentor_of[pool].astype(np.int64)
    mine, _, mine_ok = problem.pairs(np.full(len(pool), i), b)
    theirs, _, theirs_ok = problem.pairs(pool, np.full(len(pool), a))
    ok = np.asarray(mine_ok & theirs_ok, bool)
    mine64, theirs64 = np.asarray(mine, np.float64)[ok], np.asarray(theirs, np.float64)[ok]
    delta = mine64 + theirs64 - current.score[i] - current.score[pool[ok]]
    order = np.argsort(-delta, kind="stable")
    return Swaps(
        i,
        pool[ok][order].astype(np.int64),
        mine64[order],
        theirs64[order],
        delta[order],
        forbidden=int((~ok).sum()),
        locked=locked,
    )


def _no_swaps(i: int, locked: int) -> Swaps:
    empty = np.zeros(0, np.float64)
    return Swaps(i, np.zeros(0, np.int64), empty, empty, empty, forbidden=0, locked=locked)


def swap_plan(swaps: Swaps, current: Current, at: int) -> Plan:
    """The plan of ``swaps``' ``at``-th swap: both mentees' steps."""
    i, k = swaps.mentee, int(swaps.partner[at])
    a, b = int(current.mentor_of[i]), int(current.mentor_of[k])
    return Plan(
        (
            Step(i, a, b, float(current.score[i]), float(swaps.score_mine[at])),
            Step(k, b, a, float(current.score[k]), float(swaps.score_theirs[at])),
        )
    )


def plan_swap(problem: PairSource, current: Current, first: int, second: int) -> Plan:
    """The plan that swaps the mentors of two matched mentees (the swap list's own sums)."""
    if current.mentor_of[first] < 0 or current.mentor_of[second] < 0:
        raise Refused("unmatched", first if current.mentor_of[first] < 0 else second)
    if current.mentor_of[first] == current.mentor_of[second]:
        raise Refused("same_mentor", first)
    for m in (first, second):
        if current.locked[m]:
            raise Refused("locked", m)
    swaps = swap_options(problem, current, first, [second])
    if not len(swaps.partner):
        _, _, ok = problem.pairs([first], [current.mentor_of[second]])
        if not bool(ok[0]):
            raise Refused("forbidden", first, int(current.mentor_of[second]))
        raise Refused("forbidden", second, int(current.mentor_of[first]))
    return swap_plan(swaps, current, 0)


def apply(current: Current, plan: Plan) -> Current:
    """``current`` after ``plan`` (the moved pairs unlocked)."""
    mentor_of, score, locked = current.mentor_of.copy(), current.score.copy(), current.locked.copy()
    for s in plan.steps:
        mentor_of[s.mentee], score[s.mentee], locked[s.mentee] = s.after, s.score_after, False
    return Current(mentor_of, score, locked, current.capacity)
