"""Planned edits: a plan's figures are exactly what applying it does, and no plan breaks a
hard rule, a capacity or a lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import edits


@dataclass(frozen=True)
class Table:
    """A PairSource from a dense table: score[m][r], allowed[m][r]."""

    score: np.ndarray
    allowed: np.ndarray

    def pairs(self, mentees: Any, mentors: Any) -> tuple[Any, Any, Any]:
        rows, cols = np.asarray(mentees, np.int64).reshape(-1), np.asarray(mentors, np.int64).reshape(-1)
        return self.score[rows, cols], None, self.allowed[rows, cols]


@st.composite
def boards(draw: st.DrawFn) -> tuple[Table, edits.Current]:
    n, r = draw(st.integers(1, 9)), draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    table = Table(rng.random((n, r)).astype(np.float32), rng.random((n, r)) < 0.7)
    capacity = rng.integers(0, 3, r).astype(np.int32)
    mentor_of = np.full(n, -1, np.int32)
    load = np.zeros(r, np.int64)
    for m in rng.permutation(n):  # a valid assignment: allowed pairs within capacity
        options = [j for j in range(r) if table.allowed[m, j] and load[j] < capacity[j]]
        if options and rng.random() < 0.8:
            j = int(rng.choice(options))
            mentor_of[m], load[j] = j, load[j] + 1
    score = np.where(mentor_of >= 0, table.score[np.arange(n), np.maximum(mentor_of, 0)], 0).astype(
        np.float64
    )
    locked = (rng.random(n) < 0.2) & (mentor_of >= 0)
    return table, edits.Current(mentor_of, score, locked, capacity)


def _check(table: Table, before: edits.Current, plan: edits.Plan) -> None:
    after = edits.apply(before, plan)
    changed = set(np.flatnonzero(after.mentor_of != before.mentor_of).tolist())
    assert changed == {s.mentee for s in plan.steps}  # the plan names every mentee it moves
    assert after.score.sum() == pytest.approx(before.score.sum() + plan.delta, abs=1e-9)
    assert (after.load() <= np.maximum(before.capacity, before.load())).all()
    placed = after.mentor_of >= 0
    assert table.allowed[np.flatnonzero(placed), after.mentor_of[placed]].all()
    assert not (before.locked & (after.mentor_of != before.mentor_of)).any()  # locks hold
    got = table.score[np.flatnonzero(placed), after.mentor_of[placed]]
    assert np.allclose(after.score[placed], got)


@settings(max_examples=300, deadline=None)
@given(board=boards(), data=st.data())
def test_a_move_plan_is_what_the_move_does(board, data):
    table, current = board
    i = data.draw(st.integers(0, len(current.mentor_of) - 1))
    j = data.draw(st.integers(0, len(current.capacity) - 1))
    try:
        plan = edits.plan_move(table, current, i, j)
    except edits.Refused as refused:
        assert refused.kind in {"already", "locked", "forbidden", "full", "all_locked"}  # noqa: PT017
        return
    assert plan.steps[0].mentee == i
    assert plan.steps[0].after == j
    _check(table, current, plan)


@settings(max_examples=300, deadline=None)
@given(board=boards(), data=st.data())
def test_every_listed_swap_is_allowed_and_costs_what_it_says(board, data):
    table, current = board
    i = data.draw(st.integers(0, len(current.mentor_of) - 1))
    swaps = edits.swap_options(table, current, i)
    others = (current.mentor_of >= 0) & (current.mentor_of != current.mentor_of[i])
    if current.mentor_of[i] >= 0 and not current.locked[i]:
        assert len(swaps.partner) + swaps.forbidden + swaps.locked == int(others.sum())
    assert list(swaps.delta) == sorted(swaps.delta, reverse=True)
    for at in range(len(swaps.partner)):
        plan = edits.swap_plan(swaps, current, at)
        again = edits.plan_swap(table, current, i, int(swaps.partner[at]))
        assert again == plan
        assert plan.delta == pytest.approx(swaps.delta[at])
        _check(table, current, plan)
