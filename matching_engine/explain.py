"""Why a pair scores what it scores: components, their contributions, and evidence in words.

The numbers come from :meth:`Problem.pairs`, the same formulas as the candidate arrays;
the words come from the people's own fields ("covers SQL and stakeholder management,
not Kubernetes"; "3.5 h a week: Tue 14:00-16:00 your time"). A criterion one of the two
gave nothing for counts 0 and says so ("Ana listed no skills to learn, so this counted
0"); it is never given as a reason for the match.

:func:`explain_pairs` explains many pairs at once: the numbers, the shared hours and the
shared words are array operations over all of them, and what each person contributes
(their skills, phrases, languages, channels) is worked out once per person.
:func:`explain_pair` is the same code for one pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matching_engine.evidence import (
    COUNTED_0,
    SHOWN_TERMS,
    SHOWN_WINDOWS,
    Ints,
    TimeLabel,
    _Hours,
    _shared_hours,
    _shared_terms,
    _Words,
)
from matching_engine.model import Participant
from matching_engine.problem import CRITERIA
from matching_engine.scoring import Problem

NOTHING_SHARED = "little in common: no criterion found something they share"
CHUNK = 4096  # pairs whose shared slots are held at once


def your_time(person: Participant) -> str:
    """Hours as the person reads them: "your time" (the mentee's default)."""
    return "your time"


def named_time(person: Participant) -> str:
    """Hours in the person's time, by name: "Ana's time" (the mentor's default)."""
    return f"{person.name}'s time"


def zone_time(person: Participant) -> str:
    """Hours in the person's zone, by its city: "Sao Paulo time" (for pages other people read)."""
    return f"{person.time_zone.rsplit('/', 1)[-1].replace('_', ' ')} time"


@dataclass(frozen=True)
class PairExplanation:
    """One pair's score taken apart.

    ``contributions[c]`` is ``weight[c] * components[c] / sum(weights)``; they add up to
    ``score``. ``evidence`` has plain words for each criterion, the hours in the
    mentee's local time, and under ``hours_mentor_local`` in the mentor's. ``missing``
    names the criteria one of the two gave nothing for (they counted 0).
    """

    mentee: int
    mentor: int
    score: float
    allowed: bool
    components: dict[str, float]
    contributions: dict[str, float]
    evidence: dict[str, str]
    summary: str
    forbidden: str | None = None
    missing: tuple[str, ...] = ()


def explain_pair(
    problem: Problem,
    mentee: int,
    mentor: int,
    *,
    mentee_time: TimeLabel = your_time,
    mentor_time: TimeLabel = named_time,
) -> PairExplanation:
    """Explain mentee ``mentee`` with mentor ``mentor`` (positions in the problem's lists).

    The shared hours are given in the mentee's zone, followed by ``mentee_time(mentee)``
    ("your time" by default; :func:`zone_time` names the zone), and under
    ``hours_mentor_local`` in the mentor's, followed by ``mentor_time(mentor)``.
    """
    return explain_pairs(problem, [mentee], [mentor], mentee_time=mentee_time, mentor_time=mentor_time)[0]


def explain_pairs(
    problem: Problem,
    mentees: Sequence[int] | npt.ArrayLike,
    mentors: Sequence[int] | npt.ArrayLike,
    *,
    mentee_time: TimeLabel = your_time,
    mentor_time: TimeLabel = named_time,
) -> list[PairExplanation]:
    """Explain mentee ``mentees[p]`` with mentor ``mentors[p]`` for each ``p``, in order.

    The same explanations as :func:`explain_pair` pair by pair, computed together.
    """
    return list(
        iter_explanations(problem, mentees, mentors, mentee_time=mentee_time, mentor_time=mentor_time)
    )


def iter_explanations(
    problem: Problem,
    mentees: Sequence[int] | npt.ArrayLike,
    mentors: Sequence[int] | npt.ArrayLike,
    *,
    mentee_time: TimeLabel = your_time,
    mentor_time: TimeLabel = named_time,
) -> Iterator[PairExplanation]:
    """:func:`explain_pairs` one by one, computed ``CHUNK`` pairs at a time: for many pairs
    whose explanations need not all be held at once (a summary each, say)."""
    rows, cols = _pairs_in_range(problem, mentees, mentors)
    words = _Words(problem, mentee_time, mentor_time)
    for start in range(0, len(rows), CHUNK):
        yield from _explain_chunk(problem, words, rows[start : start + CHUNK], cols[start : start + CHUNK])


def iter_summaries(
    problem: Problem,
    mentees: Sequence[int] | npt.ArrayLike,
    mentors: Sequence[int] | npt.ArrayLike,
    *,
    mentee_time: TimeLabel = your_time,
) -> Iterator[str]:
    """Each pair's :attr:`PairExplanation.summary`, as :func:`iter_explanations` gives it,
    putting into words only the reasons the summary names."""
    rows, cols = _pairs_in_range(problem, mentees, mentors)
    words = _Words(problem, mentee_time, named_time)
    for start in range(0, len(rows), CHUNK):
        yield from _summary_chunk(problem, words, rows[start : start + CHUNK], cols[start : start + CHUNK])


def _pairs_in_range(
    problem: Problem, mentees: Sequence[int] | npt.ArrayLike, mentors: Sequence[int] | npt.ArrayLike
) -> tuple[Ints, Ints]:
    rows = np.asarray(mentees, np.int64).reshape(-1)
    cols = np.asarray(mentors, np.int64).reshape(-1)
    if len(rows) != len(cols):
        raise ValueError("mentees and mentors must have the same length")
    return _in_range(rows, len(problem.mentees)), _in_range(cols, len(problem.mentors))


def _in_range(index: Ints, n: int) -> Ints:
    """Positions as given (negative ones count from the end, like a list); IndexError past either end."""
    if len(index) and (index.min() < -n or index.max() >= n):
        raise IndexError("pair index out of range")
    return np.where(index < 0, index + n, index)


class _Numbers(NamedTuple):
    """What a chunk of pairs' explanations are made of, worked out together."""

    scores: list[float]
    allowed: list[bool]
    components: npt.NDArray[np.float32]  # pairs x criteria
    contributions: npt.NDArray[np.float32]
    reasons: dict[int, str | None]  # why, by position, for the forbidden pairs
    hours: list[_Hours]
    terms: list[list[str]]


def _numbers(problem: Problem, rows: Ints, cols: Ints) -> _Numbers:
    scores, components, allowed = problem.pairs(rows, cols)
    contributions = components * _shares(problem)[None, :]
    forbidden_at = np.flatnonzero(~allowed)
    reasons = dict(
        zip(
            forbidden_at.tolist(),
            problem.forbidden_reasons(rows[forbidden_at], cols[forbidden_at]),
            strict=True,
        )
    )
    return _Numbers(
        scores.tolist(),
        allowed.tolist(),
        components,
        contributions,
        reasons,
        _shared_hours(problem, rows, cols),
        _shared_terms(problem, rows, cols),
    )


def _summary_chunk(problem: Problem, words: _Words, rows: Ints, cols: Ints) -> list[str]:
    n = _numbers(problem, rows, cols)
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    lacking = np.array([words.lack_bits(0, i) | words.lack_bits(1, j) for i, j in pairs], np.int64)
    gone = (lacking.reshape(-1, 1) >> np.arange(len(CRITERIA))) & 1 > 0
    found = []
    for p, ((i, j), shown) in enumerate(
        zip(pairs, _reasons(n.components, n.contributions, gone), strict=True)
    ):
        forbidden = n.reasons.get(p)
        if forbidden:
            found.append(f"not allowed: {forbidden}")
            continue
        why = [words.criterion(CRITERIA[c], i, j, n.hours[p], n.terms[p], False) for c in shown]
        found.append("; ".join(why) or NOTHING_SHARED)
    return found


def _reasons(
    components: npt.NDArray[np.float32], contributions: npt.NDArray[np.float32], gone: npt.NDArray[np.bool_]
) -> list[list[int]]:
    """:func:`summary_text`'s choice for many pairs at once: each pair's reasons by criterion
    number, from the largest contribution (``gone``: pairs x criteria one of the two gave
    nothing for)."""
    ranked = np.argsort(-contributions, axis=1, kind="stable")  # ties in CRITERIA order, as sorted()
    positive = np.take_along_axis((contributions > 0) & ~gone, ranked, axis=1)
    strong = positive & np.take_along_axis(components > 0.5, ranked, axis=1)
    strong &= np.cumsum(strong, axis=1) <= 3
    first = positive & (np.cumsum(positive, axis=1) == 1)
    take = np.where(strong.any(axis=1, keepdims=True), strong, first)
    row, at = np.nonzero(take)
    chosen = ranked[row, at].tolist()
    bounds = np.searchsorted(row, np.arange(len(take) + 1)).tolist()
    return [chosen[bounds[p] : bounds[p + 1]] for p in range(len(take))]


def _explain_chunk(problem: Problem, words: _Words, rows: Ints, cols: Ints) -> list[PairExplanation]:
    n = _numbers(problem, rows, cols)
    found = []
    components, contributions = n.components.tolist(), n.contributions.tolist()
    for p, (i, j, score, ok, parts, shares) in enumerate(
        zip(rows.tolist(), cols.tolist(), n.scores, n.allowed, components, contributions, strict=True)
    ):
        named = dict(zip(CRITERIA, parts, strict=True))
        contribution = dict(zip(CRITERIA, shares, strict=True))
        evidence, missing = words.evidence(i, j, n.hours[p], n.terms[p])
        forbidden = n.reasons.get(p)
        summary = (
            f"not allowed: {forbidden}" if forbidden else summary_text(named, contribution, evidence, missing)
        )
        found.append(
            PairExplanation(i, j, score, ok, named, contribution, evidence, summary, forbidden, missing)
        )
    return found


def _shares(problem: Problem) -> npt.NDArray[np.float32]:
    weights = problem.weights.as_array().astype(np.float64)
    total = weights.sum()
    return (weights / total if total > 0 else weights * 0).astype(np.float32)


def summary_text(
    components: Mapping[str, float],
    contributions: Mapping[str, float],
    evidence: Mapping[str, str],
    missing: Iterable[str] = (),
) -> str:
    """The two or three strongest reasons: the largest contributions of components above
    0.5, else the largest one above 0. A criterion in ``missing`` (one of the two gave
    nothing for it) is never a reason."""
    lacking = set(missing)
    ranked = [c for c in sorted(CRITERIA, key=lambda c: -contributions[c]) if c not in lacking]
    strong = [c for c in ranked if components[c] > 0.5 and contributions[c] > 0][:3]
    found = strong or [c for c in ranked if contributions[c] > 0][:1]
    return "; ".join(evidence[c] for c in found) or NOTHING_SHARED


__all__ = [
    "CHUNK",
    "COUNTED_0",
    "NOTHING_SHARED",
    "SHOWN_TERMS",
    "SHOWN_WINDOWS",
    "PairExplanation",
    "TimeLabel",
    "explain_pair",
    "explain_pairs",
    "iter_explanations",
    "iter_summaries",
    "named_time",
    "summary_text",
    "your_time",
    "zone_time",
]
