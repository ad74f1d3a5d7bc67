"""A run over a cohort as the review uses it: solve around the manager's locked pairs,
force one pair in and say what it costs, rank a mentee's mentors, and the room mentors
have left. Plain arrays in and out (no Django).

Locks are kept as given when they fit. A lock that cannot be kept (its pair no longer
allowed, its mentee locked to another mentor, or its mentor already full of earlier
locks) is dropped and named in the result, so a run around stale locks still solves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matching_engine.problem import Assignment, Candidates, Mode, Objective
from matching_engine.scoring import Problem
from matching_engine.solve import assigned_pairs, mentor_cutoffs, solve_optimal
from matching_engine.stable import deferred_acceptance, stable_match

K = 40  # candidate mentors per mentee (and mentees per mentor) on large cohorts

Pair = tuple[int, int]  # (mentee index, mentor index)
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Solved:
    """A run's assignment and the candidate pairs it was solved over (locks and, for a
    stable run, the pairs that keep it stable over every allowed pair added), with the
    locks it kept and those it had to drop."""

    assignment: Assignment
    candidates: Candidates
    kept: tuple[Pair, ...] = ()
    dropped: tuple[Pair, ...] = ()


@dataclass(frozen=True)
class Forced:
    """A run re-solved with ``pair`` locked in: ``cost`` is what it takes from the total
    of the run solved around the same locks without it (negative when dropping a lock
    that conflicts with the pair frees more than the pair costs)."""

    pair: Pair
    solved: Solved
    cost: float


def fitting_locks(
    problem: Problem, locked: Iterable[Pair], *, capacity: npt.ArrayLike | None = None
) -> tuple[list[Pair], list[Pair]]:
    """The locks that can be kept together, in the order given, and those dropped: a lock
    whose pair is not allowed, whose mentee was locked before, or whose mentor is full
    (``capacity``, by default the mentors' own)."""
    pairs = [(int(i), int(j)) for i, j in locked]
    if not pairs:
        return [], []
    allowed = problem.pairs([p[0] for p in pairs], [p[1] for p in pairs])[2].tolist()
    room = np.array(problem.capacity if capacity is None else capacity, np.int64)
    taken: set[int] = set()
    kept, dropped = [], []
    for (i, j), ok in zip(pairs, allowed, strict=True):
        if ok and i not in taken and room[j] > 0:
            kept.append((i, j))
            taken.add(i)
            room[j] -= 1
        else:
            dropped.append((i, j))
    return kept, dropped


def with_pairs(problem: Problem, c: Candidates, pairs: Sequence[Pair]) -> Candidates:
    """``c`` with ``pairs`` added when pruning left them out (locks must be candidates)."""
    have = set(zip(c.mentee.tolist(), c.mentor.tolist(), strict=True))
    missing = list(dict.fromkeys(p for p in pairs if p not in have))
    if not missing:
        return c
    rows = np.array([p[0] for p in missing], np.int32)
    cols = np.array([p[1] for p in missing], np.int32)
    score, components, _ = problem.pairs(rows, cols)
    return replace(
        c,
        mentee=np.concatenate([c.mentee, rows]),
        mentor=np.concatenate([c.mentor, cols]),
        score=np.concatenate([c.score, score]),
        components=np.concatenate([c.components, components]),
    )


def solve_with_locks(
    problem: Problem,
    c: Candidates,
    locked: Iterable[Pair] = (),
    *,
    mode: Mode = Mode.OPTIMAL,
    objective: Objective = Objective.SCORE,
    k: int = K,
) -> Solved:
    """The best assignment (or the stable one, ``Mode.STABLE``) that keeps every lock that
    fits (:func:`fitting_locks`). ``c`` comes from ``problem.candidates(k=k)``."""
    kept, dropped = fitting_locks(problem, locked, capacity=c.capacity)
    c = with_pairs(problem, c, kept)
    cutoff = None if c.complete else mentor_cutoffs(c, k)
    best = solve_optimal(c, objective=objective, locked=kept, mentor_cutoff=cutoff)
    if mode is not Mode.STABLE:
        return Solved(best, c, tuple(kept), tuple(dropped))
    if kept:  # stable among the rest, around the manager's locks
        stable = stable_around(c, kept)
        return Solved(replace(stable, upper_bound=best.upper_bound), c, tuple(kept), tuple(dropped))
    found, grown = stable_match(problem, c, k=k)
    assignment = replace(found, upper_bound=max(best.upper_bound, found.total))
    return Solved(assignment, grown, (), tuple(dropped))


def stable_around(c: Candidates, locked: Sequence[Pair]) -> Assignment:
    """Deferred acceptance for everyone but the locked mentees, in the room locks leave
    (the locks must fit: see :func:`fitting_locks`)."""
    capacity = c.capacity.astype(np.int64)
    np.subtract.at(capacity, [j for _, j in locked], 1)
    keep = ~np.isin(c.mentee, [i for i, _ in locked])
    rest = replace(
        c,
        mentee=c.mentee[keep],
        mentor=c.mentor[keep],
        score=c.score[keep],
        components=c.components[keep],
        capacity=np.maximum(capacity, 0).astype(np.int32),
    )
    found = deferred_acceptance(rest)
    mentor_of = found.mentor_of.copy()
    for i, j in locked:
        mentor_of[i] = j
    chosen = assigned_pairs(c, mentor_of)
    return replace(found, mentor_of=mentor_of, total=float(c.score[chosen].astype(np.float64).sum()))


def force_pair(
    problem: Problem,
    c: Candidates,
    pair: Pair,
    locked: Iterable[Pair] = (),
    *,
    mode: Mode = Mode.OPTIMAL,
    objective: Objective = Objective.SCORE,
    k: int = K,
) -> Forced:
    """Re-solve with ``pair`` locked before the other locks, and what that costs against
    solving around the same locks without it. The locks the pair conflicts with (its
    mentee's own, the last ones of its mentor when the mentor is full) are dropped and the
    run solved again without them; ``ValueError`` when the pair itself is not allowed."""
    pair = (int(pair[0]), int(pair[1]))
    if not bool(problem.pairs([pair[0]], [pair[1]])[2][0]):
        raise ValueError("the pair is not allowed")
    others = [p for p in ((int(i), int(j)) for i, j in locked) if p != pair]
    before = solve_with_locks(problem, c, others, mode=mode, objective=objective, k=k)
    forced = solve_with_locks(problem, c, [pair, *others], mode=mode, objective=objective, k=k)
    return Forced(pair, forced, before.assignment.total - forced.assignment.total)


def rank_mentors(
    scores: npt.ArrayLike, allowed: npt.ArrayLike, *, leave_out: Iterable[int] = (), limit: int | None = None
) -> list[int]:
    """Mentor positions by score, best first (ties: the lower position first), the
    forbidden ones and ``leave_out`` left out; the first ``limit``."""
    score = np.asarray(scores, np.float64).reshape(-1)
    ok = np.asarray(allowed, bool).reshape(-1).copy()
    out = np.asarray(list(leave_out), np.int64)
    ok[out[(out >= 0) & (out < len(ok))]] = False
    order = np.argsort(-score, kind="stable")
    return [int(j) for j in order[ok[order]][:limit]]


def load_of(mentor_of: npt.ArrayLike, mentors: int) -> Ints:
    """Mentees each mentor has (``mentor_of`` -1: unmatched)."""
    taken = np.asarray(mentor_of, np.int64)
    return np.bincount(taken[taken >= 0], minlength=mentors).astype(np.int64)


def mentors_with_room(
    problem: Problem, mentor_of: npt.ArrayLike, *, checks: int | None = None
) -> dict[int, int]:
    """For each unmatched mentee, how many allowed mentors still have room (0s left out);
    empty when that would look at more than ``checks`` pairs."""
    assigned = np.asarray(mentor_of, np.int64)
    room = load_of(assigned, len(problem.mentors)) < problem.capacity
    left = np.flatnonzero(assigned < 0)
    cols = np.flatnonzero(room)
    if not len(cols) or not len(left) or (checks is not None and len(left) * len(cols) > checks):
        return {}
    allowed = problem.pairs(np.repeat(left, len(cols)), np.tile(cols, len(left)))[2]
    free = allowed.reshape(len(left), len(cols)).sum(axis=1)
    return {int(i): int(n) for i, n in zip(left.tolist(), free.tolist(), strict=True) if n}
