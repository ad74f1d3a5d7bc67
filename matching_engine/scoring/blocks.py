"""A block of mentees against every mentor, fused: totals with the weights folded in, and the mask
of the hard constraints (the sparse ones kept as a sorted list of pair keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matching_engine.measures import Measures
from matching_engine.scoring.components import _CHANNELS, _CODES, _SENIORITY, F32, FULL_SLOTS, Bools, Ints

if TYPE_CHECKING:
    from matching_engine.scoring.prepared import Problem, _Maths


BLOCK_PAIRS = 1 << 20  # pairs scored at once: a block's arrays stay in the CPU caches
MAX_BLOCK_ROWS = 2048
FORBIDDEN = np.float32(-1.0)  # forbidden pairs score below this inside a block


# Why a pair is forbidden, for the constraints kept as a sparse list of pairs.
SAME_PERSON, SAME_LINE, BY_MANAGER, BY_MENTEE, BY_MENTOR = 1, 2, 4, 8, 16


def _block_size(n_mentors: int) -> int:
    return max(1, min(MAX_BLOCK_ROWS, BLOCK_PAIRS // max(n_mentors, 1)))


def _sparse_constraints(problem: Problem) -> tuple[Ints, npt.NDArray[np.uint8]]:
    """Pairs forbidden one by one, as sorted ``mentee * n_mentors + mentor`` keys, and their flags."""
    c, n_mentors = problem.constraints, len(problem.mentors)
    mentee_at = {p.id: i for i, p in enumerate(problem.mentees)}
    mentor_at = {p.id: j for j, p in enumerate(problem.mentors)}
    found = [(mentee_at[x], mentor_at[x], SAME_PERSON) for x in mentee_at.keys() & mentor_at.keys()]
    found += [
        (mentee_at[a], mentor_at[b], BY_MANAGER)
        for a, b in c.excluded_pairs
        if a in mentee_at and b in mentor_at
    ]
    for i, p in enumerate(problem.mentees):
        found += [(i, mentor_at[x], BY_MENTEE) for x in p.exclude_ids if x in mentor_at]
    for j, p in enumerate(problem.mentors):
        found += [(mentee_at[x], j, BY_MENTOR) for x in p.exclude_ids if x in mentee_at]
    table = np.array(found, np.int64).reshape(-1, 3)
    if c.separate_reporting_lines:  # often the most pairs: kept as arrays
        line = problem.features.same_line.astype(np.int64)
        table = np.vstack([table, np.column_stack([line, np.full(len(line), SAME_LINE, np.int64)])])
    keys, where = np.unique(table[:, 0] * n_mentors + table[:, 1], return_inverse=True)
    flags = np.zeros(len(keys), np.uint8)
    np.bitwise_or.at(flags, where.reshape(-1), table[:, 2].astype(np.uint8))
    return keys.astype(np.int64), flags


class _Fused:
    """Totals and masks for a block of mentees x all mentors with few passes over memory.

    Weights are folded in, and seniority and channels are one table look-up (a measure
    is 0 where a side gave nothing, so missing data adds nothing).
    """

    def __init__(self, maths: _Maths) -> None:
        e, m, share = maths.e, maths.m, maths.share
        self.maths = maths
        table = (share[4] * _SENIORITY + share[5] * _CHANNELS).reshape(_CODES, _CODES)
        # Each mentee code's row against every mentor: a block takes whole rows (a copy, not a
        # look-up per pair).
        self.table = np.ascontiguousarray(table[:, m.code])
        self.row_code = e.code
        rows = _block_size(maths.n_mentors)
        self.filler = np.random.default_rng(0).random((rows, maths.n_mentors), np.float32) + np.float32(3)
        # What a forbidden pair's total is lowered by, below FORBIDDEN (a total is at most
        # about 1): distinct values keep selection fast.
        self.below = -self.filler

    def block(self, start: int, stop: int) -> tuple[F32, Bools, Measures]:
        """Totals (below FORBIDDEN where not allowed), the mask, and the measures."""
        mx = self.maths.measurer.block(start, stop)
        score = self._total(mx, start, stop)
        ok = self._mask(mx, start, stop)
        # A forbidden pair's total plus below (under FORBIDDEN), an allowed one's plus below * 0
        # (itself, exactly): four times as fast as np.where, six as a masked ufunc.
        spare = np.multiply(self.below[: stop - start], ~ok)
        score += spare
        return score, ok, mx

    def _total(self, mx: Measures, start: int, stop: int) -> F32:
        share = self.maths.share
        score: F32 = mx.values * share[0]
        spare = np.multiply(mx.skills, share[1])
        score += spare
        np.minimum(mx.hours, np.float32(FULL_SLOTS), out=spare)
        spare *= share[2] / np.float32(FULL_SLOTS)
        score += spare
        score += np.multiply(mx.languages, share[3], out=spare)
        score += self.table[self.row_code[start:stop]]
        return score

    def _mask(self, mx: Measures, start: int, stop: int) -> Bools:
        maths, c = self.maths, self.maths.constraints
        e, m, rows = maths.e, maths.m, slice(start, stop)
        ok = np.ones(mx.hours.shape, np.bool_)
        if maths.need_slots:
            ok &= _checked(mx.hours >= maths.need_slots, e.hours[rows], e.let_in[rows], m.hours, m.let_in)
        if c.require_common_language:
            ok &= _checked(mx.languages, e.languages[rows], e.let_in[rows], m.languages, m.let_in)
        if c.separate_departments:
            mine = e.department[rows]
            departed = mine[:, None] != m.department[None, :]
            ok &= _checked(departed, mine >= 0, e.let_in[rows], m.department >= 0, m.let_in)
        lo, hi = np.searchsorted(maths.keys, [start * maths.n_mentors, stop * maths.n_mentors])
        ok[maths.keys[lo:hi] // maths.n_mentors - start, maths.keys[lo:hi] % maths.n_mentors] = False
        return ok


def _checked(ok: Bools, rows_given: Bools, rows_in: Bools, cols_given: Bools, cols_in: Bools) -> Bools:
    """A rule over a block (:func:`_checked_pairs` by whole rows and columns): ``ok``, or a
    copy in which the rows and columns of people who did not give what the rule needs are
    true only where each who did not give it was let in."""
    rows, cols = np.flatnonzero(~rows_given), np.flatnonzero(~cols_given)
    if not len(rows) and not len(cols):
        return ok
    ok = ok.copy()
    ok[:, cols] = (rows_given | rows_in)[:, None] & cols_in[cols][None, :]
    ok[rows] = rows_in[rows][:, None] & (cols_given | cols_in)[None, :]
    return ok
