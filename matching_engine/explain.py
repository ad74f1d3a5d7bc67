"""Why a pair scores what it scores: components, their contributions, and evidence in words.

The numbers come from :meth:`Problem.pair`, the same formulas as the candidate arrays;
the words come from the people's own fields ("covers SQL and stakeholder management,
not Kubernetes"; "3.5 h a week: Tue 14:00-16:00 your time").
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from matching_engine.features import WEEK_SLOTS, Sparse
from matching_engine.languages import language_name
from matching_engine.model import CHANNELS, SLOT_MINUTES, WEEKDAYS
from matching_engine.problem import CRITERIA
from matching_engine.scoring import Problem, and_list, hours_text

SHOWN_WINDOWS = 3  # longest shared windows named
SHOWN_TERMS = 3  # shared words named
_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_SLOT = timedelta(minutes=SLOT_MINUTES)


@dataclass(frozen=True)
class PairExplanation:
    """One pair's score taken apart.

    ``contributions[c]`` is ``weight[c] * components[c] / sum(weights)``; they add up to
    ``score``. ``evidence`` has plain words for each criterion, the hours in the
    mentee's local time, and under ``hours_mentor_local`` in the mentor's.
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


def explain_pair(problem: Problem, mentee: int, mentor: int) -> PairExplanation:
    """Explain mentee ``mentee`` with mentor ``mentor`` (positions in the problem's lists)."""
    score, components, allowed = problem.pair(mentee, mentor)
    share = _shares(problem)
    contributions = {c: float(np.float32(components[c]) * share[i]) for i, c in enumerate(CRITERIA)}
    evidence = _Evidence(problem, mentee, mentor).all()
    forbidden = None if allowed else problem.forbidden_reason(mentee, mentor)
    summary = f"not allowed: {forbidden}" if forbidden else _summary(components, contributions, evidence)
    return PairExplanation(
        mentee, mentor, score, allowed, components, contributions, evidence, summary, forbidden
    )


def _shares(problem: Problem) -> npt.NDArray[np.float32]:
    weights = problem.weights.as_array().astype(np.float64)
    total = weights.sum()
    return (weights / total if total > 0 else weights * 0).astype(np.float32)


def _summary(components: dict[str, float], contributions: dict[str, float], evidence: dict[str, str]) -> str:
    """The two or three strongest reasons: the largest contributions of components above neutral."""
    ranked = sorted(CRITERIA, key=lambda c: -contributions[c])
    strong = [c for c in ranked if components[c] > 0.5 and contributions[c] > 0][:3]
    return "; ".join(evidence[c] for c in strong or ranked[:1])


class _Evidence:
    """Plain words for each criterion of one pair."""

    def __init__(self, problem: Problem, mentee: int, mentor: int) -> None:
        self.problem, self.i, self.j = problem, mentee, mentor
        self.e, self.m = problem.mentees[mentee], problem.mentors[mentor]

    def all(self) -> dict[str, str]:
        """Evidence by criterion, plus ``hours_mentor_local``."""
        return {
            "values": self.values(),
            "skills": self.skills(),
            "hours": self.hours(self.e.time_zone, "your time"),
            "languages": self.languages(),
            "seniority": self.seniority(),
            "channels": self.channels(),
            "hours_mentor_local": self.hours(self.m.time_zone, f"{self.m.name}'s time"),
        }

    def _missing(self, field: str, what: str) -> str | None:
        """``"Ana gave no languages"`` when either person left ``field`` empty, else None."""
        lacking = [p.name for p in (self.e, self.m) if not getattr(p, field)]
        return f"{and_list(lacking)} gave no {what}" if lacking else None

    def values(self) -> str:
        features = self.problem.features
        if not _has_row(features.mentees.text, self.i) or not _has_row(features.mentors.text, self.j):
            return self._lacking_text()
        shared = _common((*self.e.values, *self.e.interests), (*self.m.values, *self.m.interests))
        taken = {w for phrase in shared for w in _WORD.findall(phrase.lower())}
        words = [t for t in self._shared_terms() if t not in taken][:SHOWN_TERMS]
        parts = [f"shares {and_list(shared)}"] * bool(shared) + [f"both mention {and_list(words)}"] * bool(
            words
        )
        return "; ".join(parts) or "no values, interests or goals in common"

    def _lacking_text(self) -> str:
        lacking = [p.name for p in (self.e, self.m) if not (p.values or p.interests or p.goals.strip())]
        return f"{and_list(lacking or [self.e.name])} gave no values, interests or goals to compare"

    def _shared_terms(self) -> list[str]:
        features = self.problem.features
        both = features.mentees.text[[self.i]].multiply(features.mentors.text[[self.j]]).tocoo()
        order = np.lexsort((both.col, -both.data))
        return [features.terms[int(both.col[k])] for k in order]

    def skills(self) -> str:
        wanted = _distinct(self.e.skills_wanted)
        if not wanted:
            return f"{self.e.name} listed no skills to learn"
        covered = _common(wanted, self.m.skills_offered)
        missing = [s for s in wanted if s not in covered]
        if not covered:
            return f"does not cover {and_list(missing, word='or')}"
        rest = f", not {and_list(missing, word='or')}" if missing else ""
        return f"covers {and_list(covered)}{rest}"

    def hours(self, zone: str, whose: str) -> str:
        missing = self._missing("availability", "availability")
        if missing:
            return missing
        features = self.problem.features
        shared = features.mentees.availability[self.i] & features.mentors.availability[self.j]
        runs = _runs(shared.astype(bool))
        if not runs:
            return "no shared time in the week"
        longest = sorted(runs, key=lambda run: (-run[1], run[0]))[:SHOWN_WINDOWS]
        windows = ", ".join(_window(start, length, zone, features.reference) for start, length in longest)
        more = f" (and {len(runs) - len(longest)} more)" if len(runs) > len(longest) else ""
        return f"{hours_text(int(shared.sum()) / 4)} a week: {windows} {whose}{more}"

    def languages(self) -> str:
        missing = self._missing("languages", "languages")
        if missing:
            return missing
        common = _common(self.e.languages, self.m.languages)
        if common:
            return f"both speak {and_list([language_name(c) for c in common])}"
        spoken = "; ".join(
            f"{p.name}: {', '.join(map(language_name, p.languages))}" for p in (self.e, self.m)
        )
        return f"no language in common ({spoken})"

    def seniority(self) -> str:
        missing = self._missing("seniority", "seniority")
        if missing or self.e.seniority is None or self.m.seniority is None:
            return missing or ""
        gap = self.m.seniority - self.e.seniority
        levels = f"{abs(gap)} level{'s' * (abs(gap) != 1)}"
        if gap == 0:
            return "same seniority level"
        return f"mentor is {levels} more senior" if gap > 0 else f"mentor is {levels} less senior"

    def channels(self) -> str:
        missing = self._missing("channels", "preferred channels")
        if missing:
            return missing
        common = [c for c in CHANNELS if c in _keys(self.e.channels) and c in _keys(self.m.channels)]
        return f"both prefer {and_list(common)}" if common else "no preferred channel in common"


def _has_row(matrix: Sparse, row: int) -> bool:
    return bool(matrix.indptr[row + 1] > matrix.indptr[row])


def _key(item: str) -> str:
    return " ".join(item.split()).casefold()


def _keys(items: Sequence[str]) -> set[str]:
    return {_key(item) for item in items}


def _distinct(items: Sequence[str]) -> list[str]:
    """Items without repeats (compared case-insensitively), in their first spelling."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(_key(item), item.strip())
    return [item for key, item in seen.items() if key]


def _common(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """The items of ``first`` also in ``second`` (case-insensitively), in ``first``'s order."""
    theirs = _keys(second)
    return [item for item in _distinct(first) if _key(item) in theirs]


def _runs(slots: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Runs of shared slots as (first slot, length); a run may wrap past the week's end."""
    if slots.all():
        return [(0, WEEK_SLOTS)]
    if not slots.any():
        return []
    shift = int(np.argmin(slots))  # start at a free slot, so no run is cut at the week's end
    edges = np.diff(np.roll(slots, -shift).astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [((int(s) + shift) % WEEK_SLOTS, int(e - s)) for s, e in zip(starts, ends, strict=True)]


def _window(start: int, length: int, zone: str, reference: date) -> str:
    """A run of UTC slots of the reference week as local text: ``Tue 14:00-16:00``."""
    if length >= WEEK_SLOTS:
        return "all week"
    week = datetime.combine(reference, time(), tzinfo=UTC)
    tz = zoneinfo.ZoneInfo(zone)
    first = (week + start * _SLOT).astimezone(tz)
    last = (week + (start + length) * _SLOT).astimezone(tz)
    if last.date() == first.date():
        return f"{WEEKDAYS[first.weekday()]} {first:%H:%M}-{last:%H:%M}"
    if last.date() == first.date() + timedelta(days=1) and last.time() == time():
        return f"{WEEKDAYS[first.weekday()]} {first:%H:%M}-24:00"
    return f"{WEEKDAYS[first.weekday()]} {first:%H:%M}-{WEEKDAYS[last.weekday()]} {last:%H:%M}"
