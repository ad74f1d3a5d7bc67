"""The candidate pairs: every allowed pair, or each mentee's and each mentor's k best (pruned)
with the cutoffs that bound what was left out. Blocks of mentees are scored on worker threads."""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from matching_engine.measures import Measures
from matching_engine.problem import Candidates
from matching_engine.scoring.blocks import FORBIDDEN
from matching_engine.scoring.components import F32, Bools, Ints

if TYPE_CHECKING:
    from matching_engine.scoring.prepared import Problem, _Maths


T = TypeVar("T")
MAX_WORKERS = 8  # threads scoring blocks at once
_Pairs = tuple[Ints, Ints, F32, F32]  # mentee, mentor, score, components


class _Found:
    """Candidate pairs, collected chunk by chunk."""

    def __init__(self, maths: _Maths) -> None:
        self.maths = maths
        self.parts: list[_Pairs] = []

    def keys(self) -> Ints:
        """The pairs found so far as sorted ``mentee * n_mentors + mentor`` keys."""
        keys = [rows * self.maths.n_mentors + cols for rows, cols, *_ in self.parts]
        return np.sort(np.concatenate([np.zeros(0, np.int64), *keys]))

    def arrays(self) -> _Pairs:
        """Mentee, mentor, score and components of every pair found, by mentee then mentor."""
        empty = _evaluated(self.maths, np.zeros(0, np.int64), np.zeros(0, np.int64), None)
        rows, cols, score, components = (np.concatenate(a) for a in zip(empty, *self.parts, strict=True))
        order = np.argsort(rows * self.maths.n_mentors + cols, kind="stable")
        return rows[order], cols[order], score[order], components[order]


def _evaluated(maths: _Maths, rows: Ints, cols: Ints, mx: Measures | None) -> _Pairs:
    """Pairs with their scores and components, from their measures (measured here if None)."""
    return (rows, cols, *maths.evaluate(maths.measurer.pairs(rows, cols) if mx is None else mx, rows, cols))


def _workers() -> int:
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def _in_order(maths: _Maths, work: Callable[[int, int], T]) -> Iterator[tuple[int, T]]:
    """``work(start, stop)`` for each block of mentees, on worker threads, yielded in order.

    NumPy and SciPy release the GIL in their loops, so blocks run in parallel; at most a
    few blocks wait, so memory stays bounded.
    """
    blocks, workers = list(maths.block_rows()), _workers()
    if workers == 1 or len(blocks) <= 1:
        yield from ((start, work(start, stop)) for start, stop in blocks)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[tuple[int, Future[T]]] = deque()
        for start, stop in blocks:
            pending.append((start, pool.submit(work, start, stop)))
            if len(pending) > workers:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def _candidates(problem: Problem, k: int, complete: bool) -> Candidates:
    maths = problem._maths
    found = _Found(maths)
    if complete:
        cutoff = np.zeros(maths.n_mentees, np.float32)
        found.parts = [pairs for _, pairs in _in_order(maths, functools.partial(_allowed_pairs, maths))]
    else:
        cutoff, allowed = _pruned(maths, found, k)
    rows, cols, score, components = found.arrays()
    if complete:
        allowed = np.bincount(rows, minlength=maths.n_mentees).astype(np.int64)
    return Candidates(
        mentee=rows.astype(np.int32),
        mentor=cols.astype(np.int32),
        score=score,
        components=components,
        capacity=problem.capacity,
        n_mentees=maths.n_mentees,
        complete=complete,
        cutoff=cutoff,
        allowed=allowed,
    )


def _allowed_pairs(maths: _Maths, start: int, stop: int) -> _Pairs:
    """Every allowed pair of a block of mentees."""
    _, ok, mx = maths.fused.block(start, stop)
    flat = np.flatnonzero(ok)
    return _evaluated(maths, flat // maths.n_mentors + start, flat % maths.n_mentors, mx.take(flat))


class _BlockBest(NamedTuple):
    """What a block of mentees contributes to pruned candidates."""

    score: F32  # the block's totals (below FORBIDDEN where not allowed)
    allowed: Ints  # allowed pairs per mentee
    top: _Pairs  # each mentee's k best allowed pairs
    runners_up: tuple[Ints, Ints, F32]  # each mentee's next k: mentee, mentor, score


def _block_best(maths: _Maths, k: int, start: int, stop: int) -> _BlockBest:
    score, ok, mx = maths.fused.block(start, stop)
    rows, cols, values, rank = _rows_best(score, 2 * k)
    top, rest = rank < k, rank >= k
    pairs = _evaluated(maths, rows[top] + start, cols[top], mx.take(rows[top] * maths.n_mentors + cols[top]))
    runners_up = (rows[rest] + start, cols[rest], values[rest])
    return _BlockBest(score, np.count_nonzero(ok, axis=1), pairs, runners_up)


def _pruned(maths: _Maths, found: _Found, k: int) -> tuple[F32, Ints]:
    """Each mentee's k best mentors and each mentor's k best mentees; returns the cutoffs and
    each mentee's count of allowed mentors."""
    best = _MentorsBest(maths.n_mentors, k)
    runners_up: list[tuple[Ints, Ints, F32]] = []
    allowed = np.zeros(maths.n_mentees, np.int64)
    for start, block in _in_order(maths, functools.partial(_block_best, maths, k)):
        allowed[start : start + len(block.allowed)] = block.allowed
        found.parts.append(block.top)
        runners_up.append(block.runners_up)
        best.update(block.score, start)
    keys = found.keys()
    extra = best.keys(maths.n_mentors)
    extra = extra[~_isin_sorted(extra, keys)]
    found.parts.append(_evaluated(maths, extra // maths.n_mentors, extra % maths.n_mentors, None))
    return _cutoffs(maths, runners_up, np.sort(np.concatenate([keys, extra])), allowed, 2 * k), allowed


def _isin_sorted(values: Ints, sorted_keys: Ints) -> Bools:
    if not len(sorted_keys):
        return np.zeros(len(values), np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return np.asarray(sorted_keys[at] == values)


def _cutoffs(
    maths: _Maths, runners_up: list[tuple[Ints, Ints, F32]], keys: Ints, allowed: Ints, listed: int
) -> F32:
    """Per mentee, the best runner-up left out; past ``listed`` allowed pairs, at least the last one."""
    cutoff = np.zeros(maths.n_mentees, np.float32)
    if not runners_up:
        return cutoff
    rows, cols, values = (np.concatenate(a) for a in zip(*runners_up, strict=True))
    out = ~_isin_sorted(rows * maths.n_mentors + cols, keys)
    np.maximum.at(cutoff, rows[out], values[out])
    last = np.full(maths.n_mentees, np.inf, np.float32)
    np.minimum.at(last, rows, values)
    beyond = allowed > listed  # allowed pairs ranked past every runner-up exist
    cutoff[beyond] = np.maximum(cutoff[beyond], last[beyond])
    return cutoff


def _rows_best(score: F32, want: int) -> tuple[Ints, Ints, F32, Ints]:
    """Each row's ``want`` best allowed entries: rows, columns, values and rank (0 = best)."""
    n = score.shape[1]
    floor = np.zeros((len(score), 1), np.float32)
    if want < n:
        floor = np.maximum(np.partition(score, n - want, axis=1)[:, n - want : n - want + 1], floor)
    flat = np.flatnonzero(score >= floor)
    order = _group_order(flat // n, score.reshape(-1)[flat])
    flat = flat[order]
    rows, cols, values = flat // n, flat % n, score.reshape(-1)[flat]
    rank = _ranks(rows)
    keep = rank < want
    return rows[keep], cols[keep], values[keep], rank[keep]


def _group_order(groups: npt.NDArray[np.intp], values: F32) -> Ints:
    """The order that sorts by group, then by value from the highest; ties keep their order."""
    # Exact in float64: values are float32 in -2..1.1 and groups stay far below 2**26.
    return np.argsort(groups * 4.0 + (2.0 - values.astype(np.float64)), kind="stable")


def _ranks(sorted_groups: Ints) -> Ints:
    """Each entry's position within its run of equal groups."""
    starts = np.flatnonzero(np.diff(sorted_groups, prepend=-1))
    lengths = np.diff(starts, append=len(sorted_groups))
    return np.arange(len(sorted_groups)) - np.repeat(starts, lengths)


class _MentorsBest:
    """Each mentor's best ``k`` allowed mentees so far, merged block by block."""

    def __init__(self, n_mentors: int, k: int) -> None:
        self.k = k
        self.score = np.full((n_mentors, k), FORBIDDEN, np.float32)
        self.row = np.full((n_mentors, k), -1, np.int64)
        self.floor = np.full(n_mentors, FORBIDDEN, np.float32)  # each mentor's k-th best so far

    def update(self, score: F32, start: int) -> None:
        """Merge a block of totals (rows from mentee ``start``; below FORBIDDEN = not allowed)."""
        hit = score > self.floor
        # Many hits (the first blocks): keep only each column's k best of this block first.
        if np.count_nonzero(hit) > 2 * self.score.size and len(score) > self.k:
            hit &= score >= np.partition(score, len(score) - self.k, axis=0)[len(score) - self.k]
        flat = np.flatnonzero(hit)
        if len(flat):
            width = score.shape[1]
            self._merge(flat // width + start, flat % width, score.reshape(-1)[flat])

    def _merge(self, rows: Ints, cols: Ints, values: F32) -> None:
        order = _group_order(cols, values)
        rows, cols, values = rows[order], cols[order], values[order]
        rank = _ranks(cols)
        keep = rank < self.k
        touched = cols[np.flatnonzero(np.diff(cols, prepend=-1))]
        at = np.searchsorted(touched, cols[keep])
        new_score = np.full((len(touched), self.k), FORBIDDEN, np.float32)
        new_row = np.full((len(touched), self.k), -1, np.int64)
        new_score[at, rank[keep]], new_row[at, rank[keep]] = values[keep], rows[keep]
        merged_score = np.concatenate([self.score[touched], new_score], axis=1)
        merged_row = np.concatenate([self.row[touched], new_row], axis=1)
        pick = np.argpartition(-merged_score, self.k - 1, axis=1)[:, : self.k]
        self.score[touched] = np.take_along_axis(merged_score, pick, axis=1)
        self.row[touched] = np.take_along_axis(merged_row, pick, axis=1)
        self.floor[touched] = self.score[touched].min(axis=1)

    def keys(self, n_mentors: int) -> Ints:
        """The kept pairs as ``mentee * n_mentors + mentor`` keys."""
        kept = self.row >= 0
        return self.row[kept] * n_mentors + np.nonzero(kept)[0]
