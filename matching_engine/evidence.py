"""What pairs share and the evidence in words, for :mod:`matching_engine.explain`: the shared
hours and words of many pairs as array operations, and each person's skills, phrases,
languages and channels worked out once."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matching_engine.features import WEEK_SLOTS
from matching_engine.languages import language_name
from matching_engine.model import CHANNELS, SLOT_MINUTES, WEEKDAYS, Participant
from matching_engine.problem import CRITERIA
from matching_engine.scoring import Problem, and_list, hours_text

SHOWN_WINDOWS = 3  # longest shared windows named
SHOWN_TERMS = 3  # shared words named
COUNTED_0 = ", so this counted 0"
_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_SLOT = timedelta(minutes=SLOT_MINUTES)

Ints = npt.NDArray[np.int64]
TimeLabel = Callable[[Participant], str]  # the words after a person's hours: "your time"


# --- what pairs share, computed for many pairs at once ----------------------------------------------------


class _Hours(NamedTuple):
    """One pair's shared time: 15-minute slots a week and its runs as (first slot, length)."""

    slots: int
    runs: list[tuple[int, int]]


def _shared_hours(problem: Problem, rows: Ints, cols: Ints) -> list[_Hours]:
    """Each pair's shared slots of the reference week, and their runs."""
    features = problem.features
    shared = (features.mentees.availability[rows] & features.mentors.availability[cols]).astype(bool)
    counts = np.count_nonzero(shared, axis=1).tolist()
    runs = _runs(shared)
    return [_Hours(n, r) for n, r in zip(counts, runs, strict=True)]


def _runs(slots: npt.NDArray[np.bool_]) -> list[list[tuple[int, int]]]:
    """Each row's runs of shared slots as (first slot, length); a run may wrap past the week's end.

    A run that reaches the end of the week and goes on at its start is one run, from its
    start late in the week; a row with no free slot is one run of the whole week from slot 0.
    """
    n = len(slots)
    padded = np.zeros((n, WEEK_SLOTS + 2), np.int8)
    padded[:, 1:-1] = slots
    edges = np.diff(padded, axis=1)
    row, start = np.nonzero(edges == 1)
    length = np.nonzero(edges == -1)[1] - start  # row-major: each row's ends in the order of its starts
    bounds = np.searchsorted(row, np.arange(n + 1))
    wraps = np.flatnonzero(slots[:, 0] & slots[:, -1] & (bounds[1:] - bounds[:-1] > 1))
    length[bounds[wraps + 1] - 1] += length[bounds[wraps]]  # the last run goes on into the first
    keep = np.ones(len(row), np.bool_)
    keep[bounds[wraps]] = False
    pairs = list(zip(start[keep].tolist(), length[keep].tolist(), strict=True))
    at = np.searchsorted(row[keep], np.arange(n + 1)).tolist()
    return [pairs[at[p] : at[p + 1]] for p in range(n)]


def _shared_terms(problem: Problem, rows: Ints, cols: Ints) -> list[list[str]]:
    """Each pair's words in common, by the product of their TF-IDF weights, highest first."""
    features = problem.features
    both = features.mentees.text[rows].multiply(features.mentors.text[cols]).tocoo()
    order = np.lexsort((both.col, -both.data, both.row))
    row, col = both.row[order], both.col[order]
    bounds = np.searchsorted(row, np.arange(len(rows) + 1)).tolist()
    terms = [features.terms[c] for c in col.tolist()]
    return [terms[bounds[p] : bounds[p + 1]] for p in range(len(rows))]


# --- evidence in words, with what each person contributes worked out once --------------------------------


Keyed = list[tuple[str, str]]  # distinct items as (key, first spelling)


class _Words:
    """Evidence in words for pairs of one problem.

    People share whole lists (the same skills, the same languages), so each list's
    distinct items and keys are worked out once, as is each window's local text.
    """

    def __init__(self, problem: Problem, mentee_time: TimeLabel, mentor_time: TimeLabel) -> None:
        self.problem = problem
        self.mentee_time, self.mentor_time = mentee_time, mentor_time
        features = problem.features
        self.has_text = (
            (np.diff(features.mentees.text.indptr) > 0).tolist(),
            (np.diff(features.mentors.text.indptr) > 0).tolist(),
        )
        self.windows: dict[tuple[int, int, str], str] = {}
        self.phrase_words: dict[str, frozenset[str]] = {}
        self.key_of: dict[str, str] = {}
        self.distinct_of: dict[tuple[str, ...], Keyed] = {}
        self.keys_of: dict[tuple[str, ...], frozenset[str]] = {}
        self.lacks_of: dict[tuple[int, int], frozenset[str]] = {}
        self.lack_bits_of: dict[tuple[int, int], int] = {}
        self.clock = _Clock(features.reference)

    def key(self, item: str) -> str:
        """``item`` compared case-insensitively, with its runs of white space as one space."""
        found = self.key_of.get(item)
        if found is None:
            found = self.key_of[item] = " ".join(item.split()).casefold()
        return found

    def keys(self, items: tuple[str, ...]) -> frozenset[str]:
        found = self.keys_of.get(items)
        if found is None:
            found = self.keys_of[items] = frozenset(map(self.key, items))
        return found

    def distinct(self, items: tuple[str, ...]) -> Keyed:
        """Items without repeats (compared by key) as (key, first spelling), blanks left out."""
        found = self.distinct_of.get(items)
        if found is None:
            seen: dict[str, str] = {}
            for item in items:
                seen.setdefault(self.key(item), item.strip())
            found = self.distinct_of[items] = [(key, item) for key, item in seen.items() if key]
        return found

    def common(self, first: tuple[str, ...], second: tuple[str, ...]) -> list[str]:
        """The items of ``first`` also in ``second`` (by key), in ``first``'s order."""
        if not first or not second:
            return []
        theirs = self.keys(second)
        return [item for key, item in self.distinct(first) if key in theirs]

    def evidence(
        self, i: int, j: int, hours: _Hours, terms: list[str]
    ) -> tuple[dict[str, str], tuple[str, ...]]:
        """Evidence by criterion, plus ``hours_mentor_local``; and the criteria one of the two
        gave nothing for."""
        gone = self.lacks(0, i) | self.lacks(1, j)
        evidence = {c: self.criterion(c, i, j, hours, terms, c in gone) for c in CRITERIA}
        missing = tuple(c for c in CRITERIA if c in gone)
        e, m = self.problem.mentees[i], self.problem.mentors[j]
        evidence["hours_mentor_local"] = (
            evidence["hours"] if "hours" in missing else self.hours(e, m, hours, True)
        )
        return evidence, missing

    def criterion(
        self, criterion: str, i: int, j: int, hours: _Hours, terms: list[str], lacking: bool
    ) -> str:
        """One criterion's evidence in words (the hours in the mentee's time); ``lacking``: one
        of the two gave nothing for it."""
        e, m = self.problem.mentees[i], self.problem.mentors[j]
        if lacking:
            return self.lacking(criterion, e, m)
        if criterion == "values":
            return self.values(e, m, terms)
        if criterion == "hours":
            return self.hours(e, m, hours, False)
        if criterion == "seniority":
            return _seniority(e, m)
        found: str = getattr(self, criterion)(e, m)  # skills, languages, channels
        return found

    def lacking(self, criterion: str, e: Participant, m: Participant) -> str:
        """Who gave nothing for ``criterion``, so that it counted 0."""
        if criterion == "values":
            return _lacking_text(e, m) + COUNTED_0
        if criterion == "skills":
            if not self.distinct(e.skills_wanted):
                return f"{e.name} listed no skills to learn{COUNTED_0}"
            return f"{m.name} listed no skills to offer{COUNTED_0}"
        field, what = _FIELDS[criterion]
        lacking = [p.name for p in (e, m) if not _given(getattr(p, field))]
        return f"{and_list(lacking)} gave no {what}{COUNTED_0}"

    def lack_bits(self, side: int, at: int) -> int:
        """:meth:`lacks` as bits: bit ``c`` for ``CRITERIA[c]``."""
        found = self.lack_bits_of.get((side, at))
        if found is None:
            gone = self.lacks(side, at)
            found = self.lack_bits_of[(side, at)] = sum(
                1 << c for c, name in enumerate(CRITERIA) if name in gone
            )
        return found

    def lacks(self, side: int, at: int) -> frozenset[str]:
        """The criteria a person (side 0: mentees, 1: mentors) gave nothing for, worked out once
        (their evidence says who, ending in COUNTED_0)."""
        found = self.lacks_of.get((side, at))
        if found is None:
            p = (self.problem.mentees, self.problem.mentors)[side][at]
            gone = (
                ("values", not self.has_text[side][at]),
                ("skills", not self.distinct(p.skills_offered if side else p.skills_wanted)),
                ("hours", not _given(p.availability)),
                ("languages", not _given(p.languages)),
                ("seniority", p.seniority is None),
                ("channels", not _given(p.channels)),
            )
            found = self.lacks_of[(side, at)] = frozenset(c for c, lacking in gone if lacking)
        return found

    def values(self, e: Participant, m: Participant, terms: list[str]) -> str:
        shared = self.common(e.values + e.interests, m.values + m.interests)
        taken: set[str] = set()
        for phrase in shared:
            taken |= self._words_of(phrase)
        words = [t for t in terms if t not in taken][:SHOWN_TERMS]
        parts = [f"shares {and_list(shared)}"] * bool(shared) + [f"both mention {and_list(words)}"] * bool(
            words
        )
        return "; ".join(parts) or "no values, interests or goals in common"

    def _words_of(self, phrase: str) -> frozenset[str]:
        found = self.phrase_words.get(phrase)
        if found is None:
            found = self.phrase_words[phrase] = frozenset(_WORD.findall(phrase.lower()))
        return found

    def skills(self, e: Participant, m: Participant) -> str:
        wanted = self.distinct(e.skills_wanted)
        offered = self.keys(m.skills_offered)
        covered = [item for key, item in wanted if key in offered]
        missing = [item for key, item in wanted if key not in offered]
        if not covered:
            return f"does not cover {and_list(missing, word='or')}"
        rest = f", not {and_list(missing, word='or')}" if missing else ""
        return f"covers {and_list(covered)}{rest}"

    def hours(self, e: Participant, m: Participant, hours: _Hours, mentor: bool) -> str:
        """The shared hours in the mentee's local time, or in the mentor's (both gave availability)."""
        if not hours.runs:
            return "no shared time in the week"
        longest = sorted(hours.runs, key=lambda run: (-run[1], run[0]))[:SHOWN_WINDOWS]
        more = f" (and {len(hours.runs) - len(longest)} more)" if len(hours.runs) > len(longest) else ""
        zone, whose = (m.time_zone, self.mentor_time(m)) if mentor else (e.time_zone, self.mentee_time(e))
        windows = ", ".join(self.window(start, length, zone) for start, length in longest)
        return f"{hours_text(hours.slots / 4)} a week: {windows} {whose}{more}"

    def window(self, start: int, length: int, zone: str) -> str:
        key = (start, length, zone)
        found = self.windows.get(key)
        if found is None:
            found = self.windows[key] = self.clock.window(start, length, zone)
        return found

    def languages(self, e: Participant, m: Participant) -> str:
        common = self.common(e.languages, m.languages)
        if common:
            return f"both speak {and_list([language_name(c) for c in common])}"
        spoken = "; ".join(f"{p.name}: {', '.join(map(language_name, p.languages))}" for p in (e, m))
        return f"no language in common ({spoken})"

    def channels(self, e: Participant, m: Participant) -> str:
        ours, theirs = self.keys(e.channels), self.keys(m.channels)
        common = [c for c in CHANNELS if c in ours and c in theirs]
        return f"both prefer {and_list(common)}" if common else "no preferred channel in common"


def _lacking_text(e: Participant, m: Participant) -> str:
    lacking = [p.name for p in (e, m) if not (p.values or p.interests or p.goals.strip())]
    return f"{and_list(lacking or [e.name])} gave no values, interests or goals to compare"


# The field a criterion reads, and its name in "Ana gave no languages, so this counted 0".
_FIELDS = {
    "hours": ("availability", "availability"),
    "languages": ("languages", "languages"),
    "seniority": ("seniority", "seniority"),
    "channels": ("channels", "preferred channels"),
}


def _given(value: object) -> bool:
    if isinstance(value, tuple):
        return any(x.strip() if isinstance(x, str) else True for x in value)
    return value is not None


def _seniority(e: Participant, m: Participant) -> str:
    """How the two levels compare (both gave one)."""
    if e.seniority is None or m.seniority is None:
        return ""
    gap = m.seniority - e.seniority
    levels = f"{abs(gap)} level{'s' * (abs(gap) != 1)}"
    if gap == 0:
        return "same seniority level"
    return f"mentor is {levels} more senior" if gap > 0 else f"mentor is {levels} less senior"


class _Local(NamedTuple):
    """A moment of the reference week in one zone."""

    day: date
    midnight: bool  # 00:00 local
    text: str  # "Tue 14:00"
    clock: str  # "14:00"


class _Clock:
    """UTC slots of the reference week in local time, each slot converted once per zone."""

    def __init__(self, reference: date) -> None:
        self.week = datetime.combine(reference, time(), tzinfo=UTC)
        self.zones: dict[str, zoneinfo.ZoneInfo] = {}
        self.moments: dict[tuple[str, int], _Local] = {}

    def local(self, zone: str, slot: int) -> _Local:
        found = self.moments.get((zone, slot))
        if found is None:
            tz = self.zones.get(zone) or self.zones.setdefault(zone, zoneinfo.ZoneInfo(zone))
            at = (self.week + slot * _SLOT).astimezone(tz)
            clock = f"{at:%H:%M}"
            found = _Local(at.date(), at.time() == time(), f"{WEEKDAYS[at.weekday()]} {clock}", clock)
            self.moments[(zone, slot)] = found
        return found

    def window(self, start: int, length: int, zone: str) -> str:
        """A run of UTC slots of the reference week as local text: ``Tue 14:00-16:00``."""
        if length >= WEEK_SLOTS:
            return "all week"
        first, last = self.local(zone, start), self.local(zone, start + length)
        if last.day == first.day:
            return f"{first.text}-{last.clock}"
        if last.day == first.day + timedelta(days=1) and last.midnight:
            return f"{first.text}-24:00"
        return f"{first.text}-{last.text}"
