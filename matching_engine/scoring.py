"""How well each mentee suits each mentor, which pairs are allowed, and the candidate pairs.

Six components, each in 0..1. Where a side gave nothing to compare, a component (or
its half) is 0: missing data never earns points, so an empty profile cannot win.

* ``values``: half the cosine of the two people's TF-IDF rows (the words of their
  values, interests and goals), half the Ochiai overlap ``|A & B| / sqrt(|A| |B|)`` of
  their exact values and interests (lower-cased phrases). A half is 0 when either
  person has no words, or no phrases, for it.
* ``skills``: the share of the mentee's wanted skills that the mentor offers; 0 when
  the mentee wants none.
* ``hours``: ``min(shared hours a week / 4, 1)``: 4 or more shared hours earn full
  marks; 0 when either gave no availability.
* ``languages``: 1 with a language in common, else 0 (also when either gave none).
* ``seniority``: 1 for a mentor 2-4 levels above the mentee; 2/3 and 1/3 for 1 and 0
  levels above; 1/6 less for each level beyond 4 above; 0 for a mentor below the
  mentee, and when either level is missing.
* ``channels``: the Jaccard index of the preferred channels; 0 when either is empty.

The total is the weighted mean ``sum(w * c) / sum(w)`` (0 when every weight is 0).

Hard constraints form a boolean mask, never a penalty: a pair is forbidden when it
is one person (the same id on both sides), when one manages the other at any depth
(``separate_reporting_lines``), when both are in one department
(``separate_departments``), when they share fewer than ``min_shared_hours`` a week,
when they have no language in common (``require_common_language``), and when the
manager or either person excluded the pair. A rule that cannot be checked because a
person gave no availability, languages or department is not met, unless the manager
let that person in (``Constraints.allow_incomplete``): then the rule skips what they
did not give, for them only.

Pairs are scored a block of mentees at a time, so no cohort needs the full mentee x
mentor matrices at once. Inside a block the total is computed fused (weights folded
in); listed pairs and the candidates' components use the plain per-component
formulas, and agree with it to float32 rounding.
"""

from __future__ import annotations

import functools
import math
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt

from matching_engine.features import Features, Measurer, Measures, SideFeatures, build_features
from matching_engine.model import Participant
from matching_engine.problem import CRITERIA, Candidates, Constraints, Weights

T = TypeVar("T")
F32 = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

FULL_SLOTS = 16  # 4 shared hours a week earn full marks
COMPLETE_PAIRS = 4_000_000  # up to this many pairs, candidates() keeps every allowed pair
BLOCK_PAIRS = 1 << 20  # pairs scored at once: a block's arrays stay in the CPU caches
MAX_BLOCK_ROWS = 2048
MAX_WORKERS = 8  # threads scoring blocks at once
PAIR_CHUNK = 1 << 16  # listed pairs scored this many at a time
FORBIDDEN = np.float32(-1.0)  # forbidden pairs score below this inside a block

# Why a pair is forbidden, for the constraints kept as a sparse list of pairs.
SAME_PERSON, SAME_LINE, BY_MANAGER, BY_MENTEE, BY_MENTOR = 1, 2, 4, 8, 16
_CODES = 11 * 16  # seniority (0..10) x channel sets (0..15)


def seniority_component(mentee: int, mentor: int) -> float:
    """The seniority component for two levels (1..10, 0 = not given)."""
    if not mentee or not mentor:
        return 0.0
    gap = mentor - mentee
    if gap < 0:
        return 0.0
    if gap < 2:
        return (gap + 1) / 3
    return 1.0 if gap <= 4 else max(0.0, 1.0 - (gap - 4) / 6)


def channels_component(mentee: int, mentor: int) -> float:
    """The channels component for two 4-bit channel sets: their Jaccard index."""
    if not mentee or not mentor:
        return 0.0
    return (mentee & mentor).bit_count() / (mentee | mentor).bit_count()


# Look-up tables by ``mentee code * _CODES + mentor code`` (code = seniority * 16 + channels).
_SENIORITY = np.array(
    [seniority_component(a // 16, b // 16) for a in range(_CODES) for b in range(_CODES)], np.float32
)
_CHANNELS = np.array(
    [channels_component(a % 16, b % 16) for a in range(_CODES) for b in range(_CODES)], np.float32
)


class PairScore(NamedTuple):
    """One pair's total, its components by criterion, and whether it is allowed."""

    score: float
    components: dict[str, float]
    allowed: bool


class _People(NamedTuple):
    """What the score needs of each person besides the measures: one entry a person."""

    hours: Bools  # gave availability
    languages: Bools  # gave languages
    code: npt.NDArray[np.int64]  # seniority * 16 + channel bits
    department: npt.NDArray[np.int32]  # -1 = none
    let_in: Bools  # the manager lets a rule skip what this person did not give

    @classmethod
    def of(cls, side: SideFeatures, constraints: Constraints) -> _People:
        return cls(
            hours=side.availability.max(axis=1, initial=0) > 0,
            languages=side.languages.max(axis=1, initial=0) > 0,
            code=side.seniority.astype(np.int64) * 16 + side.channels,
            department=side.department,
            let_in=np.array([constraints.lets_in(x) for x in side.ids], np.bool_).reshape(-1),
        )

    def take(self, index: Ints) -> _People:
        return _People(
            self.hours[index],
            self.languages[index],
            self.code[index],
            self.department[index],
            self.let_in[index],
        )


def _components(mx: Measures, e: _People, m: _People) -> F32:
    """The components of listed pairs, (pairs, criteria) in CRITERIA order."""
    hours = np.minimum(mx.hours * np.float32(1 / FULL_SLOTS), np.float32(1))
    code = e.code * _CODES + m.code
    return np.stack(
        [
            np.minimum(mx.values, np.float32(1)),  # float32 rounding may pass 1 by a hair
            mx.skills,
            hours,
            mx.languages.astype(np.float32),
            _SENIORITY[code],
            _CHANNELS[code],
        ],
        axis=1,
    )


def _checked_pairs(ok: Bools, e_given: Bools, e_in: Bools, m_given: Bools, m_in: Bools) -> Bools:
    """A rule over listed pairs: ``ok`` where both gave what it needs; where either did
    not, met only when each who did not was let in by the manager."""
    both = e_given & m_given
    return (both & ok) | (~both & (e_given | e_in) & (m_given | m_in))


# --- the problem ------------------------------------------------------------------------------------------

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


def _block_size(n_mentors: int) -> int:
    return max(1, min(MAX_BLOCK_ROWS, BLOCK_PAIRS // max(n_mentors, 1)))


def _shares(weights: Weights) -> F32:
    """Each weight over the sum of the weights (all 0 when they sum to 0)."""
    w = weights.as_array().astype(np.float64)
    total = w.sum()
    return (w / total if total > 0 else w * 0).astype(np.float32)


def _sparse_constraints(problem: Problem) -> tuple[Ints, npt.NDArray[np.uint8]]:
    """Pairs forbidden one by one, as sorted ``mentee * n_mentors + mentor`` keys, and their flags."""
    c, n_mentors = problem.constraints, len(problem.mentors)
    mentee_at = {p.id: i for i, p in enumerate(problem.mentees)}
    mentor_at = {p.id: j for j, p in enumerate(problem.mentors)}
    found = [(mentee_at[x], mentor_at[x], SAME_PERSON) for x in mentee_at.keys() & mentor_at.keys()]
    if c.separate_reporting_lines:
        found += [(int(i), int(j), SAME_LINE) for i, j in problem.features.same_line]
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
    keys, where = np.unique(table[:, 0] * n_mentors + table[:, 1], return_inverse=True)
    flags = np.zeros(len(keys), np.uint8)
    np.bitwise_or.at(flags, where.reshape(-1), table[:, 2].astype(np.uint8))
    return keys.astype(np.int64), flags


# --- a block of mentees against every mentor, fused ------------------------------------------------------


class _Fused:
    """Totals and masks for a block of mentees x all mentors with few passes over memory.

    Weights are folded in, and seniority and channels are one table look-up (a measure
    is 0 where a side gave nothing, so missing data adds nothing).
    """

    def __init__(self, maths: _Maths) -> None:
        e, m, share = maths.e, maths.m, maths.share
        self.maths = maths
        self.table = share[4] * _SENIORITY + share[5] * _CHANNELS
        self.row_code, self.col_code = (e.code * _CODES).astype(np.int16), m.code.astype(np.int16)
        rows = _block_size(maths.n_mentors)
        self.filler = np.random.default_rng(0).random((rows, maths.n_mentors), np.float32) + np.float32(1)

    def block(self, start: int, stop: int) -> tuple[F32, Bools, Measures]:
        """Totals (below FORBIDDEN where not allowed), the mask, and the measures."""
        mx = self.maths.measurer.block(start, stop)
        score = self._total(mx, start, stop)
        ok = self._mask(mx, start, stop)
        np.negative(self.filler[: stop - start], out=score, where=~ok)  # distinct values keep selection fast
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
        score += self.table[self.row_code[start:stop, None] + self.col_code[None, :]]
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


# --- reasons in words -------------------------------------------------------------------------------------


def and_list(items: Sequence[str], *, word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def hours_text(hours: float) -> str:
    """``0.5 h``, ``1 h``, ``3.75 h``."""
    return f"{round(hours, 2):g} h"


class _Reasons:
    """Why listed pairs are forbidden, in words."""

    def __init__(self, problem: Problem, rows: Ints, cols: Ints) -> None:
        maths = problem._maths
        self.problem, self.rows, self.cols = problem, rows, cols
        self.flags = maths.flags(rows, cols).tolist()
        mx = maths.measurer.pairs(rows, cols)
        self.slots, self.common = mx.hours.tolist(), mx.languages.tolist()
        e, m = maths.e.take(rows), maths.m.take(cols)
        self.given = {
            "availability": (e.hours.tolist(), m.hours.tolist()),
            "languages": (e.languages.tolist(), m.languages.tolist()),
            "department": ((e.department >= 0).tolist(), (m.department >= 0).tolist()),
        }
        self.let_in = e.let_in.tolist(), m.let_in.tolist()
        self.departments = e.department.tolist(), m.department.tolist()

    def all(self) -> list[str | None]:
        """Each pair's reasons, ``; ``-separated, or None where none applies."""
        found: list[str | None] = []
        for p, (i, j) in enumerate(zip(self.rows.tolist(), self.cols.tolist(), strict=True)):
            reasons = self.of(p, i, j)
            found.append("; ".join(reasons) if reasons else None)
        return found

    def of(self, p: int, i: int, j: int) -> list[str]:
        """Every reason that applies to pair ``p`` (mentee ``i``, mentor ``j``), the structural ones first."""
        flags = self.flags[p]
        e, m = self.problem.mentees[i].name, self.problem.mentors[j].name
        found = [
            f"the same person ({e})" if flags & SAME_PERSON else None,
            self._line(flags, i, j),
            self._department(p, i, j),
            self._hours(p, i, j),
            self._language(p, i, j),
            "excluded by the manager" if flags & BY_MANAGER else None,
            f"{e} asked not to be matched with {m}" if flags & BY_MENTEE else None,
            f"{m} asked not to be matched with {e}" if flags & BY_MENTOR else None,
        ]
        return [reason for reason in found if reason]

    def _line(self, flags: int, i: int, j: int) -> str | None:
        if not flags & SAME_LINE:
            return None
        names, features = self.problem._maths.names, self.problem.features
        mentee, mentor = self.problem.mentees[i], self.problem.mentors[j]
        chain = features.mentees.managers[i]
        if mentor.id in chain:
            return "same reporting line: " + _reports(mentee.name, chain, mentor.id, names)
        chain = features.mentors.managers[j]
        return "same reporting line: " + _reports(mentor.name, chain, mentee.id, names)

    def _unchecked(self, fact: str, p: int, i: int, j: int, rule: str) -> str | None:
        """Why a rule is not met for lack of ``fact``, or None when both gave it (the rule was
        checked) or each who did not was let in."""
        given = self.given[fact][0][p], self.given[fact][1][p]
        if all(given):
            return None
        people = self.problem.mentees[i], self.problem.mentors[j]
        lacking = [
            person.name
            for person, gave, let_in in zip(
                people, given, (self.let_in[0][p], self.let_in[1][p]), strict=True
            )
            if not gave and not let_in
        ]
        return f"{and_list(lacking)} gave no {fact}, so {rule} cannot be checked" if lacking else ""

    def _department(self, p: int, i: int, j: int) -> str | None:
        if not self.problem.constraints.separate_departments:
            return None
        unchecked = self._unchecked("department", p, i, j, "different departments")
        if unchecked is not None:
            return unchecked or None
        code = self.departments[0][p]
        same = code == self.departments[1][p]
        return f"same department ({self.problem.features.departments[code]})" if same else None

    def _hours(self, p: int, i: int, j: int) -> str | None:
        need, slots = self.problem._maths.need_slots, float(self.slots[p])
        if not need:
            return None
        minimum = hours_text(self.problem.constraints.min_shared_hours)
        unchecked = self._unchecked("availability", p, i, j, f"the minimum of {minimum} a week together")
        if unchecked is not None:
            return unchecked or None
        if slots >= need:
            return None
        if not slots:
            return f"no shared time in the week (minimum {minimum})"
        return f"only {hours_text(slots / 4)} a week of shared time (minimum {minimum})"

    def _language(self, p: int, i: int, j: int) -> str | None:
        if not self.problem.constraints.require_common_language:
            return None
        unchecked = self._unchecked("languages", p, i, j, "a common language")
        if unchecked is not None:
            return unchecked or None
        return None if self.common[p] else "no language in common"


def _reports(name: str, chain: tuple[str, ...], boss: str, names: dict[str, str]) -> str:
    between = [names.get(x, x) for x in chain[: chain.index(boss)]]
    through = f" (through {and_list(between)})" if between else ""
    return f"{name} reports to {names.get(boss, boss)}{through}"


# --- candidates ------------------------------------------------------------------------------------------


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
        cutoff = _pruned(maths, found, k)
    rows, cols, score, components = found.arrays()
    return Candidates(
        mentee=rows.astype(np.int32),
        mentor=cols.astype(np.int32),
        score=score,
        components=components,
        capacity=problem.capacity,
        n_mentees=maths.n_mentees,
        complete=complete,
        cutoff=cutoff,
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


def _pruned(maths: _Maths, found: _Found, k: int) -> F32:
    """Each mentee's k best mentors and each mentor's k best mentees; returns the cutoffs."""
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
    return _cutoffs(maths, runners_up, np.sort(np.concatenate([keys, extra])), allowed, 2 * k)


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
        if np.count_nonzero(hit) > 8 * self.score.size and len(score) > self.k:
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
