"""``prepare`` and :class:`Problem`: two sides' features, the weights and constraints, and the
arrays behind them; ask it for candidates, scores of listed pairs, and reasons."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from matching_engine.features import Features, build_features
from matching_engine.measures import Measurer, Measures
from matching_engine.model import Participant
from matching_engine.problem import CRITERIA, Candidates, Constraints, Weights
from matching_engine.scoring.blocks import BLOCK_PAIRS, _block_size, _Fused, _sparse_constraints
from matching_engine.scoring.candidates import _candidates
from matching_engine.scoring.components import (
    F32,
    Bools,
    Ints,
    PairScore,
    _checked_pairs,
    _components,
    _People,
    _shares,
)
from matching_engine.scoring.reasons import _Reasons

COMPLETE_PAIRS = 4_000_000  # up to this many pairs, candidates() keeps every allowed pair
PAIR_CHUNK = 1 << 16  # listed pairs scored this many at a time
_DEFAULT_WEIGHTS, _DEFAULT_CONSTRAINTS = Weights(), Constraints()


def prepare(
    mentees: Sequence[Participant],
    mentors: Sequence[Participant],
    *,
    weights: Weights = _DEFAULT_WEIGHTS,
    constraints: Constraints = _DEFAULT_CONSTRAINTS,
    reference: date | None = None,
) -> Problem:
    """Build the features of both sides and what is needed to score any pair quickly.

    ``reference`` is the Monday of the week in which availability is compared (see
    :func:`matching_engine.features.build_features`).
    """
    share = weights.as_array()
    if not np.all(np.isfinite(share)) or np.any(share < 0):
        raise ValueError("weights must be finite and not negative")
    if not math.isfinite(constraints.min_shared_hours):
        raise ValueError("min_shared_hours must be a number")
    features = build_features(mentees, mentors, reference=reference)
    return Problem(tuple(mentees), tuple(mentors), features, weights, constraints)


@dataclass(frozen=True, eq=False)
class Problem:
    """Two sides, their features, the weights and the constraints: ask it for scores.

    Mentees and mentors are named by their positions in ``mentees`` and ``mentors``.
    """

    mentees: tuple[Participant, ...]
    mentors: tuple[Participant, ...]
    features: Features
    weights: Weights
    constraints: Constraints
    _maths: _Maths = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_maths", _Maths(self))

    @property
    def capacity(self) -> npt.NDArray[np.int32]:
        """Each mentor's capacity."""
        return np.array([p.capacity for p in self.mentors], np.int32)

    def candidates(self, *, k: int = 40, full: bool | None = None) -> Candidates:
        """The allowed pairs worth considering (see :class:`Candidates`).

        ``full`` keeps every allowed pair; by default it does when there are at most
        4,000,000 pairs. Otherwise each mentee keeps its ``k`` best allowed mentors and
        each mentor its ``k`` best allowed mentees, and ``cutoff[m]`` is the best score
        among mentee ``m``'s allowed pairs left out (0 if none was). In the rare case
        that all of the mentee's next ``k`` pairs came in through mentors' lists, it is
        the lowest of those, still an upper bound of every pair left out.
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        n_pairs = len(self.mentees) * len(self.mentors)
        complete = n_pairs <= COMPLETE_PAIRS if full is None else full
        return _candidates(self, k, complete or k >= len(self.mentors))

    def pairs(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> tuple[F32, F32, Bools]:
        """Scores, components (pairs x criteria) and allowed flags of the pairs listed."""
        rows, cols = np.asarray(mentees, np.int64).reshape(-1), np.asarray(mentors, np.int64).reshape(-1)
        return self._maths.pairs(rows, cols)

    def grid(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> tuple[F32, F32, Bools]:
        """Every listed mentee with every listed mentor, mentee by mentee (row-major): scores,
        components and allowed flags.

        The numbers are those of :meth:`candidates` (measured as a block of mentees is,
        entry for entry), which may differ from :meth:`pairs` in the last float32 bit.
        """
        rows, cols = np.asarray(mentees, np.int64).reshape(-1), np.asarray(mentors, np.int64).reshape(-1)
        maths = self._maths
        scores, components, allowed = (
            [np.zeros(0, np.float32)],
            [np.zeros((0, 6), np.float32)],
            [np.zeros(0, bool)],
        )
        step = max(1, BLOCK_PAIRS // max(len(cols), 1))
        for start in range(0, len(rows) if len(cols) else 0, step):
            part = rows[start : start + step]
            mx = maths.measurer.grid(part, cols)
            flat = Measures(
                mx.values.reshape(-1), mx.skills.reshape(-1), mx.hours.reshape(-1), mx.languages.reshape(-1)
            )
            pair_rows, pair_cols = np.repeat(part, len(cols)), np.tile(cols, len(part))
            score, parts = maths.evaluate(flat, pair_rows, pair_cols)
            scores.append(score)
            components.append(parts)
            allowed.append(maths.allowed(flat, pair_rows, pair_cols))
        return np.concatenate(scores), np.concatenate(components), np.concatenate(allowed)

    def pair(self, mentee: int, mentor: int) -> PairScore:
        """One pair's score, components by criterion, and whether it is allowed."""
        score, components, allowed = self.pairs([mentee], [mentor])
        named = dict(zip(CRITERIA, map(float, components[0]), strict=True))
        return PairScore(float(score[0]), named, bool(allowed[0]))

    def scores_for(self, mentee: int) -> tuple[F32, F32, Bools]:
        """Mentee ``mentee`` with every mentor: scores, components and allowed flags."""
        mentors = np.arange(len(self.mentors))
        return self.pairs(np.full(len(mentors), mentee), mentors)

    def forbidden_reason(self, mentee: int, mentor: int) -> str | None:
        """Why the pair is forbidden, in words (every reason, ``; ``-separated), or None."""
        return self.forbidden_reasons([mentee], [mentor])[0]

    def forbidden_reasons(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> list[str | None]:
        """:meth:`forbidden_reason` of each listed pair, measured together."""
        rows, cols = np.asarray(mentees, np.int64).reshape(-1), np.asarray(mentors, np.int64).reshape(-1)
        found: list[str | None] = []
        for start in range(0, len(rows), PAIR_CHUNK):
            found += _Reasons(self, rows[start : start + PAIR_CHUNK], cols[start : start + PAIR_CHUNK]).all()
        return found

    def measures(self, mentee: int, mentor: int) -> Measures:
        """What the pair has in common (shared 15-minute slots, ...), as one-entry arrays."""
        return self._maths.measurer.pairs(np.array([mentee]), np.array([mentor]))


class _Maths:
    """The arrays behind a :class:`Problem`, and the block and pair computations on them."""

    def __init__(self, problem: Problem) -> None:
        f, c = problem.features, problem.constraints
        self.n_mentees, self.n_mentors = len(f.mentees), len(f.mentors)
        self.measurer = Measurer(f)
        self.e, self.m = _People.of(f.mentees, c), _People.of(f.mentors, c)
        self.share = _shares(problem.weights)
        self.constraints = c
        self.need_slots = max(0, math.ceil(c.min_shared_hours * 4 - 1e-9))
        self.keys, self.key_flags = _sparse_constraints(problem)
        self.names = {p.id: p.name for p in (*problem.mentees, *problem.mentors)}
        self.fused = _Fused(self)

    def pairs(self, rows: Ints, cols: Ints) -> tuple[F32, F32, Bools]:
        """Scores, components and allowed flags of listed pairs, in chunks."""
        scores, components, allowed = (
            [np.zeros(0, np.float32)],
            [np.zeros((0, 6), np.float32)],
            [np.zeros(0, bool)],
        )
        for i in range(0, len(rows), PAIR_CHUNK):
            chunk = rows[i : i + PAIR_CHUNK], cols[i : i + PAIR_CHUNK]
            mx = self.measurer.pairs(*chunk)
            score, parts = self.evaluate(mx, *chunk)
            scores.append(score)
            components.append(parts)
            allowed.append(self.allowed(mx, *chunk))
        return np.concatenate(scores), np.concatenate(components), np.concatenate(allowed)

    def evaluate(self, mx: Measures, rows: Ints, cols: Ints) -> tuple[F32, F32]:
        """Scores and components of listed pairs from their measures."""
        components = _components(mx, self.e.take(rows), self.m.take(cols))
        score = components[:, 0] * self.share[0]
        for c in range(1, len(CRITERIA)):
            score += components[:, c] * self.share[c]
        return score, components

    def allowed(self, mx: Measures, rows: Ints, cols: Ints) -> Bools:
        """Whether listed pairs keep every hard constraint."""
        e, m, c = self.e.take(rows), self.m.take(cols), self.constraints
        ok: Bools = self.flags(rows, cols) == 0
        if self.need_slots:
            ok &= _checked_pairs(mx.hours >= self.need_slots, e.hours, e.let_in, m.hours, m.let_in)
        if c.require_common_language:
            ok &= _checked_pairs(mx.languages, e.languages, e.let_in, m.languages, m.let_in)
        if c.separate_departments:
            departed = e.department != m.department
            ok &= _checked_pairs(departed, e.department >= 0, e.let_in, m.department >= 0, m.let_in)
        return ok

    def flags(self, rows: Ints, cols: Ints) -> npt.NDArray[np.uint8]:
        """The sparse-constraint flags of listed pairs (0 where none applies)."""
        if not len(self.keys):
            return np.zeros(len(rows), np.uint8)
        keys = rows * self.n_mentors + cols
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.key_flags[at], 0).astype(np.uint8)

    def block_rows(self) -> Iterator[tuple[int, int]]:
        """Blocks of mentees, each with about BLOCK_PAIRS pairs at most."""
        size = min(_block_size(self.n_mentors), len(self.fused.filler))
        for start in range(0, self.n_mentees, size):
            yield start, min(start + size, self.n_mentees)
