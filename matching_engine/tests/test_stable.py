"""Deferred acceptance: stable (no blocking pair), within capacities, and fast enough."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.demo import generate_cohort
from matching_engine.model import Role
from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.scoring import prepare
from matching_engine.solve import solve_optimal
from matching_engine.stable import blocking_pairs, deferred_acceptance, stable_match
from matching_engine.tests.test_solve import Dense, candidates_of, check_feasible, dense, pruned


def pairs_first_matching(c: Candidates) -> list[int]:
    """The unique stable matching when both sides rank by one pair score: take the best pair
    left (ties: lower mentee, then lower mentor) while both sides can take it."""
    room = c.capacity.tolist()
    mentor_of = [-1] * c.n_mentees
    for p in np.lexsort((c.mentor, c.mentee, -c.score)).tolist():
        m, r = int(c.mentee[p]), int(c.mentor[p])
        if mentor_of[m] < 0 and room[r]:
            mentor_of[m], room[r] = r, room[r] - 1
    return mentor_of


@settings(max_examples=150, deadline=None)
@given(dense(max_mentees=10, max_mentors=5))
def test_it_leaves_no_blocking_pairs_and_respects_capacities(instance: tuple[Dense, list[int]]) -> None:
    c = candidates_of(*instance)
    assignment = deferred_acceptance(c)
    check_feasible(c, assignment.mentor_of)
    assert blocking_pairs(c, assignment) == 0
    assert assignment.mode is Mode.STABLE


@settings(max_examples=100, deadline=None)
@given(dense(max_mentees=10, max_mentors=5))
def test_it_finds_the_one_stable_matching_of_shared_scores(instance: tuple[Dense, list[int]]) -> None:
    c = candidates_of(*instance)
    assert deferred_acceptance(c).mentor_of.tolist() == pairs_first_matching(c)


@settings(max_examples=50, deadline=None)
@given(dense(max_mentees=10, max_mentors=5))
def test_it_stays_stable_over_pruned_candidates(instance: tuple[Dense, list[int]]) -> None:
    c = pruned(candidates_of(*instance), 2)
    assignment = deferred_acceptance(c)
    check_feasible(c, assignment.mentor_of)
    assert blocking_pairs(c, assignment) == 0
    assert assignment.upper_bound >= assignment.total


def test_it_counts_blocking_pairs_of_a_hand_made_assignment() -> None:
    c = candidates_of([[0.9, 0.2], [0.8, 0.7]], [1, 1])
    crossed = Assignment(np.array([1, 0], np.int32), total=1.0, upper_bound=1.6)
    # Mentee 0 and mentor 0 both prefer each other (0.9 beats 0.2 and 0.8).
    assert blocking_pairs(c, crossed) == 1
    half = Assignment(np.array([-1, 1], np.int32), total=0.7, upper_bound=1.6)
    # Mentor 0 has room: mentee 0 and mentee 1 both want it.
    assert blocking_pairs(c, half) == 2


def test_it_can_block_the_optimum_but_never_itself() -> None:
    # The optimum (0.8 + 0.85) leaves mentee 0 and mentor 0 (0.9) blocking it.
    c = candidates_of([[0.9, 0.8], [0.85, 0.1]], [1, 1])
    assert blocking_pairs(c, solve_optimal(c)) == 1
    stable = deferred_acceptance(c)
    assert stable.mentor_of.tolist() == [0, 1]
    assert blocking_pairs(c, stable) == 0


def test_it_runs_thousands_without_recursion() -> None:
    rng = np.random.default_rng(7)
    n, mentors, k = 3000, 600, 30
    scores: Dense = [[None] * mentors for _ in range(n)]
    for m in range(n):
        for r in rng.choice(mentors, k, replace=False).tolist():
            scores[m][r] = float(rng.random())
    c = candidates_of(scores, rng.integers(1, 6, mentors).tolist())
    assignment = deferred_acceptance(c)
    check_feasible(c, assignment.mentor_of)
    assert blocking_pairs(c, assignment) == 0
    assert assignment.matched == min(n, int(c.capacity.sum()))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([1, 2, 4]), st.booleans())
def test_stable_match_leaves_no_blocking_pair_among_all_allowed_pairs(
    seed: int, k: int, give_k: bool
) -> None:
    people = generate_cohort(120, 30, seed=seed, capacity=(1, 3))
    problem = prepare(
        [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]
    )
    pruned_c = problem.candidates(k=k, full=False)
    every = problem.candidates(full=True)
    assert len(pruned_c.mentee) < len(every.mentee)
    assignment, grown = stable_match(problem, pruned_c, k=k if give_k else None)
    assert len(grown.mentee) >= len(pruned_c.mentee)
    check_feasible(grown, assignment.mentor_of)
    check_feasible(every, assignment.mentor_of)
    assert blocking_pairs(every, assignment) == 0
    # The mentee-optimal stable matching is unique: the same as over every pair at once.
    assert assignment.mentor_of.tolist() == deferred_acceptance(every).mentor_of.tolist()
    assert assignment.mode is Mode.STABLE


def test_stable_match_on_complete_candidates_is_deferred_acceptance() -> None:
    people = generate_cohort(40, 10, seed=3)
    problem = prepare(
        [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]
    )
    c = problem.candidates()
    assert c.complete
    assert stable_match(problem, c).assignment.mentor_of.tolist() == deferred_acceptance(c).mentor_of.tolist()


def test_the_grid_scores_pairs_as_the_candidates_do() -> None:
    people = generate_cohort(50, 20, seed=5)
    problem = prepare(
        [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]
    )
    every = problem.candidates(full=True)
    rows, cols = np.arange(50), np.arange(20)
    score, components, allowed = problem.grid(rows, cols)
    assert allowed.sum() == len(every.mentee)
    flat = np.flatnonzero(allowed)
    assert (flat // 20).tolist() == every.mentee.tolist()
    assert (flat % 20).tolist() == every.mentor.tolist()
    assert np.array_equal(score[flat], every.score)
    assert np.array_equal(components[flat], every.components)
    some = problem.grid([7, 3, 41], [19, 0])
    assert np.array_equal(some[0], score.reshape(50, 20)[[7, 3, 41]][:, [19, 0]].reshape(-1))
