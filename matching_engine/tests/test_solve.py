"""The optimal solver: exact (against SciPy), within the constraints, honest about pruning."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.problem import CRITERIA, Candidates, Objective
from matching_engine.solve import (
    mentor_cutoffs,
    pair_index,
    preference_order,
    pruning_bound,
    solve_greedy,
    solve_optimal,
    solve_scipy,
)

Dense = list[list[float | None]]  # [mentee][mentor]: a score, or None = forbidden


def candidates_of(scores: Dense, capacity: list[int]) -> Candidates:
    """Every allowed pair of a dense table (a complete candidate set)."""
    pairs = [(m, r, s) for m, row in enumerate(scores) for r, s in enumerate(row) if s is not None]
    mentee, mentor, score = zip(*pairs, strict=True) if pairs else ((), (), ())
    return Candidates(
        mentee=np.array(mentee, np.int32),
        mentor=np.array(mentor, np.int32),
        score=np.array(score, np.float32),
        components=np.zeros((len(pairs), len(CRITERIA)), np.float32),
        capacity=np.array(capacity, np.int32),
        n_mentees=len(scores),
        complete=True,
    )


def pruned(c: Candidates, k: int, *, mentors: bool = False) -> Candidates:
    """Each mentee's ``k`` best pairs (and each mentor's, with ``mentors``), with the cutoff
    the scorer gives: the best score of the mentee's pairs left out, 0 if none."""
    keep = _best(c.mentee, c.mentor, c.score, k)
    if mentors:
        keep |= _best(c.mentor, c.mentee, c.score, k)
    cutoff = np.zeros(c.n_mentees, np.float32)
    np.maximum.at(cutoff, c.mentee[~keep], c.score[~keep])
    return replace(
        c, mentee=c.mentee[keep], mentor=c.mentor[keep], score=c.score[keep],
        components=c.components[keep], complete=False, cutoff=cutoff,
    )  # fmt: skip


def _best(group: np.ndarray, other: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Which pairs are among their group's ``k`` best (ties: lower index of the other side)."""
    order = np.lexsort((other, -score, group))
    place = np.arange(len(order)) - np.searchsorted(group[order], group[order])
    keep = np.zeros(len(group), bool)
    keep[order[place < k]] = True
    return keep


@st.composite
def dense(draw: st.DrawFn, max_mentees: int = 8, max_mentors: int = 5) -> tuple[Dense, list[int]]:
    """A small instance: scores on a coarse grid (ties happen), forbidden pairs, capacities."""
    n = draw(st.integers(1, max_mentees))
    r = draw(st.integers(1, max_mentors))
    cell = st.one_of(st.none(), st.integers(0, 20).map(lambda v: v / 20))
    scores = draw(st.lists(st.lists(cell, min_size=r, max_size=r), min_size=n, max_size=n))
    capacity = draw(st.lists(st.integers(1, 3), min_size=r, max_size=r))
    return scores, capacity


def check_feasible(c: Candidates, mentor_of: np.ndarray) -> None:
    matched = np.flatnonzero(mentor_of >= 0)
    assert (pair_index(c, matched, mentor_of[matched]) >= 0).all(), "a pair that is not a candidate"
    load = np.bincount(mentor_of[matched], minlength=len(c.capacity))
    assert (load <= c.capacity).all(), "a mentor over capacity"


@settings(max_examples=150, deadline=None)
@given(dense(), st.sampled_from(Objective))
def test_it_finds_the_same_optimum_as_scipy(instance: tuple[Dense, list[int]], objective: Objective) -> None:
    c = candidates_of(*instance)
    ours, theirs = solve_optimal(c, objective=objective), solve_scipy(c, objective=objective)
    assert ours.total == pytest.approx(theirs.total, abs=1e-6)
    if objective is Objective.COVERAGE:
        assert ours.matched == theirs.matched
    assert ours.upper_bound == ours.total
    assert ours.gap == 0.0


@settings(max_examples=100, deadline=None)
@given(dense())
def test_it_never_exceeds_capacities_and_uses_only_candidate_pairs(instance: tuple[Dense, list[int]]) -> None:
    c = candidates_of(*instance)
    for assignment in (
        solve_optimal(c),
        solve_optimal(c, objective=Objective.COVERAGE),
        solve_greedy(c),
        solve_scipy(c),
    ):
        check_feasible(c, assignment.mentor_of)


@settings(max_examples=100, deadline=None)
@given(dense())
def test_it_matches_at_least_as_many_mentees_for_coverage(instance: tuple[Dense, list[int]]) -> None:
    c = candidates_of(*instance)
    by_score, by_coverage = solve_optimal(c), solve_optimal(c, objective=Objective.COVERAGE)
    assert by_coverage.matched >= by_score.matched
    assert by_coverage.total <= by_score.total + 1e-6


@settings(max_examples=100, deadline=None)
@given(dense(max_mentees=10, max_mentors=6), st.integers(1, 3), st.sampled_from(Objective))
def test_it_bounds_the_full_optimum_when_candidates_are_pruned(
    instance: tuple[Dense, list[int]], k: int, objective: Objective
) -> None:
    full = candidates_of(*instance)
    exact, ours = (
        solve_optimal(full, objective=objective),
        solve_optimal(pruned(full, k), objective=objective),
    )
    check_feasible(full, ours.mentor_of)
    assert ours.matched <= exact.matched or objective is Objective.SCORE
    if objective is Objective.SCORE or ours.matched == exact.matched:
        assert ours.total <= exact.total + 1e-6
    assert ours.upper_bound >= exact.total - 1e-6


@settings(max_examples=100, deadline=None)
@given(dense(max_mentees=10, max_mentors=6), st.integers(1, 3), st.sampled_from(Objective))
def test_it_bounds_the_full_optimum_with_both_sides_pruned(
    instance: tuple[Dense, list[int]], k: int, objective: Objective
) -> None:
    full = candidates_of(*instance)
    c = pruned(full, k, mentors=True)
    exact = solve_optimal(full, objective=objective)
    ours = solve_optimal(c, objective=objective, mentor_cutoff=mentor_cutoffs(c, k))
    check_feasible(full, ours.mentor_of)
    assert ours.upper_bound >= exact.total - 1e-6
    if ours.gap == 0 and (objective is Objective.SCORE or ours.matched == exact.matched):
        assert ours.total == pytest.approx(exact.total, abs=1e-6)  # proven means optimal


def test_it_gives_the_same_bound_on_its_own() -> None:
    c = pruned(candidates_of([[0.9, 0.1, 0.2], [0.8, 0.7, 0.6]], [1, 0, 1]), 1)
    assert pruning_bound(c) == pytest.approx(solve_optimal(c).upper_bound)
    assert pruning_bound(c, Objective.COVERAGE) == math.inf  # mentee 1 might reach mentor 2


def test_it_proves_a_pruned_solution_when_no_left_out_pair_could_help() -> None:
    # Mentee 0's third pair (0.1) is left out; nothing could use it profitably.
    c = pruned(candidates_of([[0.9, 0.5, 0.1], [0.8, 0.7, None]], [1, 1, 1]), 2)
    assignment = solve_optimal(c)
    assert assignment.total == pytest.approx(0.9 + 0.7)
    assert assignment.upper_bound == assignment.total


def test_it_says_how_much_pruning_may_have_cost() -> None:
    # Mentee 1's left-out pair with mentor 2 (0.6) would beat its nothing.
    c = pruned(candidates_of([[0.9, 0.1, 0.2], [0.8, 0.7, 0.6]], [1, 0, 1]), 1)
    assignment = solve_optimal(c)
    assert assignment.total == pytest.approx(0.9)
    assert assignment.upper_bound >= 0.9 + 0.6 - 1e-6
    assert assignment.gap > 0


def test_it_beats_greedy_with_capacities() -> None:
    # Greedy gives mentor 0 to mentee 0 (0.9), and mentee 1 is left with 0.1.
    c = candidates_of([[0.9, 0.8], [0.85, 0.1]], [1, 1])
    assert solve_greedy(c).total == pytest.approx(1.0)
    assert solve_optimal(c).total == pytest.approx(0.8 + 0.85)


def test_it_leaves_mentees_unmatched_when_nobody_has_room() -> None:
    c = candidates_of([[0.5], [0.9], [0.7]], [2])
    assignment = solve_optimal(c)
    assert assignment.mentor_of.tolist() == [-1, 0, 0]
    assert assignment.total == pytest.approx(1.6)


def test_it_keeps_locked_pairs_and_solves_around_them() -> None:
    c = candidates_of([[0.9, 0.8], [0.85, 0.1], [0.3, 0.6]], [1, 2])
    assignment = solve_optimal(c, locked=[(1, 1)])
    assert assignment.mentor_of.tolist() == [0, 1, 1]
    assert assignment.total == pytest.approx(0.9 + 0.1 + 0.6)
    assert assignment.upper_bound == pytest.approx(assignment.total)


@settings(max_examples=60, deadline=None)
@given(dense(), st.data())
def test_it_keeps_any_feasible_locks(instance: tuple[Dense, list[int]], data: st.DataObject) -> None:
    c = candidates_of(*instance)
    start = solve_optimal(c)
    matched = np.flatnonzero(start.mentor_of >= 0).tolist()
    chosen = data.draw(st.lists(st.sampled_from(matched), unique=True)) if matched else []
    locked = [(m, int(start.mentor_of[m])) for m in chosen]
    again = solve_optimal(c, locked=locked)
    assert all(again.mentor_of[m] == r for m, r in locked)
    check_feasible(c, again.mentor_of)
    assert again.total == pytest.approx(start.total, abs=1e-6)  # locking optimal pairs costs nothing


def test_it_never_uses_excluded_pairs() -> None:
    c = candidates_of([[0.9, 0.5], [0.1, 0.3]], [1, 1])
    assert solve_optimal(c).mentor_of.tolist() == [0, 1]
    assert solve_optimal(c, excluded=[(0, 0)]).mentor_of.tolist() == [1, 0]


def test_it_refuses_locks_that_are_not_candidates_or_overfill_a_mentor() -> None:
    c = candidates_of([[0.9, None], [0.8, 0.5]], [1, 1])
    with pytest.raises(ValueError, match="not a candidate"):
        solve_optimal(c, locked=[(0, 1)])
    with pytest.raises(ValueError, match="capacity"):
        solve_optimal(c, locked=[(0, 0), (1, 0)])


def test_it_handles_a_mentee_without_candidates() -> None:
    c = candidates_of([[None, None], [0.4, 0.2]], [1, 1])
    for assignment in (solve_optimal(c), solve_greedy(c), solve_scipy(c)):
        assert assignment.mentor_of.tolist() == [-1, 0]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5), st.sampled_from([-1.0, -0.5, -0.0, 0.0, 0.25, 0.5, 1.0]), st.integers(0, 5)
        ),
        unique_by=lambda t: (t[0], t[2]),
    )
)
def test_it_orders_preferences_like_lexsort(pairs: list[tuple[int, float, int]]) -> None:
    group = np.array([p[0] for p in pairs], np.int32)
    score = np.array([p[1] for p in pairs], np.float32)
    other = np.array([p[2] for p in pairs], np.int32)
    assert preference_order(group, score, other).tolist() == np.lexsort((other, -score, group)).tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 1 << 21),
    st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from([0.0, -0.0, 0.25, 0.5, 1.0, 1e-9, 0.3333])),
        max_size=60,
    ),
)
def test_preference_order_is_the_lexsort_order(span: int, raw: list[tuple[int, float]]) -> None:
    # Distinct (group, other) pairs, as candidate pairs are; wide index ranges take the fallback.
    rng = np.random.default_rng(len(raw))
    other = (
        rng.choice(span, len(raw)).astype(np.int32)
        if span >= len(raw)
        else np.arange(len(raw), dtype=np.int32)
    )
    group = np.array([g for g, _ in raw], np.int32)
    first: dict[tuple[int, int], int] = {}
    for i, pair in enumerate(zip(group.tolist(), other.tolist(), strict=True)):
        first.setdefault(pair, i)
    keep = sorted(first.values())
    group, other = group[keep], other[keep]
    score = np.array([s for _, s in raw], np.float32)[keep]
    expected = np.lexsort((other, -score, group))
    assert preference_order(group, score, other).tolist() == expected.tolist()
    assert preference_order(other, score, group).tolist() == np.lexsort((group, -score, other)).tolist()
