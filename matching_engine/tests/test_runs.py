"""A run around locks: locks always kept (or dropped and named when they cannot fit),
forcing a pair costs what the re-solve says (checked against every assignment of small
cohorts), and the ranking of mentors agrees with their scores."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import runs
from matching_engine.demo import generate_cohort
from matching_engine.model import Role
from matching_engine.problem import Constraints, Mode
from matching_engine.scoring import Problem, prepare
from matching_engine.stable import blocking_pairs
from matching_engine.tests.test_solve import check_feasible

LOOSE = Constraints(min_shared_hours=0.0, require_common_language=False, separate_reporting_lines=False)


@cache
def cohort(mentees: int, mentors: int, seed: int, loose: bool) -> Problem:
    people = generate_cohort(mentees, mentors, seed=seed, capacity=(1, 2))
    return prepare(
        [p for p in people if p.role is Role.MENTEE],
        [p for p in people if p.role is Role.MENTOR],
        constraints=LOOSE if loose else Constraints(),
    )


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    return cohort(
        draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(0, 30)), draw(st.booleans())
    )


@st.composite
def with_locks(draw: st.DrawFn) -> tuple[Problem, list[runs.Pair]]:
    problem = draw(problems())
    n, r = len(problem.mentees), len(problem.mentors)
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, r - 1))
    return problem, draw(st.lists(pair, max_size=4))


def best_total(problem: Problem, locked: list[runs.Pair]) -> float:
    """The highest total over every assignment of allowed pairs within capacities that
    keeps ``locked`` (by trying them all)."""
    n, r = len(problem.mentees), len(problem.mentors)
    flat_score, _, flat_allowed = problem.pairs(np.repeat(np.arange(n), r), np.tile(np.arange(r), n))
    score, allowed = flat_score.reshape(n, r), flat_allowed.reshape(n, r)
    best = -1.0
    for mentor_of in itertools.product(range(-1, r), repeat=n):
        if any(mentor_of[i] != j for i, j in locked):
            continue
        placed = [(i, j) for i, j in enumerate(mentor_of) if j >= 0]
        if not all(allowed[i, j] for i, j in placed):
            continue
        if (runs.load_of(mentor_of, r) > problem.capacity).any():
            continue
        best = max(best, sum(float(score[i, j]) for i, j in placed))
    return best


@settings(max_examples=80, deadline=None)
@given(with_locks(), st.sampled_from(Mode))
def test_it_keeps_every_lock_that_fits_and_names_the_rest(
    instance: tuple[Problem, list[runs.Pair]], mode: Mode
) -> None:
    problem, locked = instance
    c = problem.candidates(k=2)
    solved = runs.solve_with_locks(problem, c, locked, mode=mode, k=2)
    assert sorted([*solved.kept, *solved.dropped]) == sorted(locked)
    for i, j in solved.kept:
        assert solved.assignment.mentor_of[i] == j
    assert len({i for i, _ in solved.kept}) == len(solved.kept)
    assert (runs.load_of([j for _, j in solved.kept], len(problem.mentors)) <= problem.capacity).all()
    room, taken, fits = problem.capacity.tolist(), set(), []  # in order: allowed, mentee free, room
    for i, j in locked:
        if problem.pair(i, j).allowed and i not in taken and room[j] > 0:
            fits.append((i, j))
            taken.add(i)
            room[j] -= 1
    assert list(solved.kept) == fits
    check_feasible(solved.candidates, solved.assignment.mentor_of)
    if mode is Mode.STABLE and not solved.kept:
        assert blocking_pairs(solved.candidates, solved.assignment) == 0


@settings(max_examples=80, deadline=None)
@given(with_locks())
def test_the_optimum_around_locks_is_the_best_assignment_that_keeps_them(
    instance: tuple[Problem, list[runs.Pair]],
) -> None:
    problem, locked = instance
    solved = runs.solve_with_locks(problem, problem.candidates(k=2), locked, k=2)
    assert solved.assignment.total == pytest.approx(best_total(problem, list(solved.kept)), abs=1e-4)


@settings(max_examples=80, deadline=None)
@given(with_locks(), st.data())
def test_forcing_a_pair_costs_what_the_re_solve_says(
    instance: tuple[Problem, list[runs.Pair]], data: st.DataObject
) -> None:
    problem, locked = instance
    n, r = len(problem.mentees), len(problem.mentors)
    allowed = [(i, j) for i in range(n) for j in range(r) if problem.pair(i, j).allowed]
    if not allowed:
        with pytest.raises(ValueError, match="not allowed"):
            runs.force_pair(problem, problem.candidates(k=2), (0, 0), locked, k=2)
        return
    pair = data.draw(st.sampled_from(allowed))
    forced = runs.force_pair(problem, problem.candidates(k=2), pair, locked, k=2)
    assert forced.solved.kept[0] == pair
    assert forced.solved.assignment.mentor_of[pair[0]] == pair[1]
    others = [p for p in locked if p != pair]
    without = best_total(problem, runs.fitting_locks(problem, others)[0])
    with_it = best_total(problem, list(forced.solved.kept))
    assert forced.solved.assignment.total == pytest.approx(with_it, abs=1e-4)
    assert forced.cost == pytest.approx(without - with_it, abs=1e-4)
    stale = runs.fitting_locks(problem, others)[1]
    for i, j in forced.solved.dropped:  # only the stale locks and those the pair conflicts with go
        assert (i, j) in stale or i == pair[0] or j == pair[1]


def test_forcing_a_pair_drops_the_lock_of_its_mentee_and_says_what_it_costs() -> None:
    problem = cohort(3, 2, 7, True)
    score = problem.pairs([0, 0], [0, 1])[0]
    worse = 1 - int(np.argmax(score))
    forced = runs.force_pair(problem, problem.candidates(k=2), (0, worse), [(0, 1 - worse)], k=2)
    assert forced.solved.kept == ((0, worse),)
    assert forced.solved.dropped == ((0, 1 - worse),)
    assert forced.cost == pytest.approx(
        best_total(problem, [(0, 1 - worse)]) - best_total(problem, [(0, worse)])
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0, 1, width=32), min_size=1, max_size=12).flatmap(
        lambda s: st.tuples(
            st.just(s),
            st.lists(st.booleans(), min_size=len(s), max_size=len(s)),
            st.sets(st.integers(0, len(s) - 1)),
        )
    ),
    st.none() | st.integers(0, 12),
)
def test_the_ranking_agrees_with_the_scores(
    instance: tuple[list[float], list[bool], set[int]], limit: int | None
) -> None:
    scores, allowed, leave_out = instance
    ranked = runs.rank_mentors(scores, allowed, leave_out=leave_out, limit=limit)
    expected = sorted(
        (j for j in range(len(scores)) if allowed[j] and j not in leave_out), key=lambda j: (-scores[j], j)
    )
    assert ranked == expected[:limit]


@settings(max_examples=60, deadline=None)
@given(problems(), st.data())
def test_it_counts_the_allowed_mentors_with_room_of_each_unmatched_mentee(
    problem: Problem, data: st.DataObject
) -> None:
    n, r = len(problem.mentees), len(problem.mentors)
    mentor_of = data.draw(st.lists(st.integers(-1, r - 1), min_size=n, max_size=n))
    found = runs.mentors_with_room(problem, mentor_of)
    load = runs.load_of(mentor_of, r)
    for i in range(n):
        expected = (
            sum(1 for j in range(r) if load[j] < problem.capacity[j] and problem.pair(i, j).allowed)
            if mentor_of[i] < 0
            else 0
        )
        assert found.get(i, 0) == expected
    if found:
        assert runs.mentors_with_room(problem, mentor_of, checks=0) == {}
