"""Participants as arrays: what the scorer multiplies.

Each side (mentees, mentors) becomes a :class:`SideFeatures` of row-aligned arrays
over vocabularies both sides share, so one criterion for every pair is one matrix
product or one table look-up:

* weekly availability: 0/1 vectors of the 672 fifteen-minute UTC slots of a
  reference week (each person's local windows converted with ``zoneinfo`` on the
  reference dates, so half- and quarter-hour zones and daylight saving are right;
  a window that crosses the week's end in UTC wraps to its start);
* skills wanted and offered, and values plus interests as exact phrases: sparse 0/1
  matrices over one lower-cased vocabulary each;
* languages: a bit matrix; channels: 4 bits; seniority: 1..10, 0 when not given;
* values, interests and goals as words: TF-IDF rows, L2-normalised, so the cosine of
  two people is the dot product of their rows;
* departments and the manager chain, for the hard constraints.
"""

from __future__ import annotations

import functools
import itertools
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching_engine.measures import Measurer, Measures  # what two people have in common
from matching_engine.model import CHANNELS, MINUTES_PER_DAY, SLOT_MINUTES, Participant
from matching_engine.tfidf import tokens, weigh

SLOTS_PER_DAY = MINUTES_PER_DAY // SLOT_MINUTES
WEEK_SLOTS = 7 * SLOTS_PER_DAY
DEFAULT_REFERENCE = date(2026, 1, 5)  # a Monday; no daylight-saving change that week
MAX_SENIORITY = 10
NO_DEPARTMENT = -1


Index = npt.NDArray[np.int64]
Sparse = Any  # scipy.sparse.csr_array (scipy ships no type stubs)


@dataclass(frozen=True, eq=False)
class SideFeatures:
    """One side's people as row-aligned arrays: row ``i`` is person ``i`` of the side."""

    ids: tuple[str, ...]
    availability: npt.NDArray[np.uint8]  # (n, 672): 1 = free in that UTC slot of the week
    skills_wanted: Sparse  # (n, skills) 0/1 float32
    skills_offered: Sparse  # (n, skills) 0/1 float32
    languages: npt.NDArray[np.uint64]  # (n, words): bit b of word w = language 64 * w + b
    channels: npt.NDArray[np.uint8]  # bit c = CHANNELS[c]
    seniority: npt.NDArray[np.int8]  # 1..10, 0 = not given
    text: Sparse  # (n, terms) TF-IDF float32, L2-normalised; an all-zero row = no text
    phrases: Sparse  # (n, phrases) 0/1 float32: values and interests, lower-cased
    department: npt.NDArray[np.int32]  # index into Features.departments, -1 = none
    managers: tuple[tuple[str, ...], ...]  # each person's manager chain, nearest first

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True, eq=False)
class Features:
    """Both sides' features over shared vocabularies (display spellings, index order)."""

    mentees: SideFeatures
    mentors: SideFeatures
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    terms: tuple[str, ...]  # the TF-IDF vocabulary
    phrases: tuple[str, ...]
    departments: tuple[str, ...]
    same_line: npt.NDArray[np.int32]  # (pairs, 2): mentee, mentor in one reporting line
    reference: date  # the Monday that starts the reference week


def build_features(
    mentees: Sequence[Participant], mentors: Sequence[Participant], *, reference: date | None = None
) -> Features:
    """Turn both sides into arrays over shared vocabularies.

    ``reference`` is the Monday whose week (in UTC) the availability vectors cover;
    by default 2026-01-05. The manager chain follows ``manager_id`` through both
    lists; a manager in neither list ends the chain (and a cycle is cut).
    """
    reference = _check_monday(reference or DEFAULT_REFERENCE)
    people = (*mentees, *mentors)
    skills = _Vocabulary(s for p in people for s in (*p.skills_wanted, *p.skills_offered))
    languages = _Vocabulary(code for p in people for code in p.languages)
    phrases = _Vocabulary(x for p in people for x in (*p.values, *p.interests))
    departments = _Vocabulary(p.department for p in people)
    terms, text = _tfidf(people)
    chains = manager_chains(people)

    def side(group: Sequence[Participant], rows: slice) -> SideFeatures:
        return SideFeatures(
            ids=tuple(p.id for p in group),
            availability=availability_slots(group, reference),
            skills_wanted=skills.indicator([p.skills_wanted for p in group]),
            skills_offered=skills.indicator([p.skills_offered for p in group]),
            languages=languages.bits([p.languages for p in group]),
            channels=_channel_bits([p.channels for p in group]),
            seniority=np.array([_seniority(p.seniority) for p in group], dtype=np.int8),
            text=text[rows],
            phrases=phrases.indicator([(*p.values, *p.interests) for p in group]),
            department=departments.codes([p.department for p in group]),
            managers=tuple(chains.get(p.id, ()) for p in group),
        )

    return Features(
        mentees=side(mentees, slice(0, len(mentees))),
        mentors=side(mentors, slice(len(mentees), len(people))),
        skills=skills.names,
        languages=languages.names,
        terms=terms,
        phrases=phrases.names,
        departments=departments.names,
        same_line=_same_line(mentees, mentors, chains),
        reference=reference,
    )


# --- availability ----------------------------------------------------------------------------------------


def availability_slots(people: Sequence[Participant], reference: date) -> npt.NDArray[np.uint8]:
    """Each person's weekly windows as a 0/1 row of the reference week's 672 UTC slots."""
    # People share zones and weekly patterns (the reader hands out one tuple per distinct
    # text): each distinct pair of zone and windows object is laid out once. Keyed by the
    # object's id, which lives as long as ``people`` does; equal copies only cost a row.
    pattern_at: dict[tuple[str, int], int] = {}
    distinct: list[Participant] = []
    which = []
    for person in people:
        key = (person.time_zone, id(person.availability))
        at = pattern_at.get(key)
        if at is None:
            at = pattern_at[key] = len(distinct)
            distinct.append(person)
        which.append(at)
    return _slots(distinct, reference)[np.array(which, np.int64)]


def _slots(people: Sequence[Participant], reference: date) -> npt.NDArray[np.uint8]:
    starts, stops, owners = [], [], []
    for row, person in enumerate(people):
        for w in person.availability:
            starts.append(w.weekday * SLOTS_PER_DAY + w.start // SLOT_MINUTES)
            stops.append(w.weekday * SLOTS_PER_DAY + w.end // SLOT_MINUTES)
            owners.append(row)
    local, owner = _expand(np.array(starts, np.int64), np.array(stops, np.int64), np.array(owners, np.int64))
    zone_names = sorted({p.time_zone for p in people if p.availability})
    zone_at = {name: z for z, name in enumerate(zone_names)}
    zone_of = np.array([zone_at.get(p.time_zone, 0) for p in people], np.int64)
    maps = np.array([zone_slots(name, reference) for name in zone_names], np.int64).reshape(-1, WEEK_SLOTS)
    out = np.zeros((len(people), WEEK_SLOTS), np.uint8)
    out[owner, maps[zone_of[owner], local]] = 1
    return out


@functools.lru_cache(maxsize=256)
def zone_slots(zone: str, reference: date) -> Index:
    """The UTC slot (0..671) of each local 15-minute slot of the week starting on ``reference``
    (read-only: computed once per zone and week, then shared).

    Offsets are taken on the reference dates themselves (daylight saving included);
    a local time that does not exist, or exists twice, follows Python's ``fold=0``.
    """
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'unknown time zone "{zone}"') from None
    utc_start = datetime.combine(reference, time(), tzinfo=UTC)
    local_start = datetime.combine(reference, time(), tzinfo=tz)
    step = timedelta(minutes=SLOT_MINUTES)
    # Adding a timedelta to an aware datetime moves its wall clock, as wanted here.
    slots = [((local_start + s * step).astimezone(UTC) - utc_start) // step for s in range(WEEK_SLOTS)]
    found = np.mod(np.array(slots, np.int64), WEEK_SLOTS)
    found.flags.writeable = False
    return found


def _expand(starts: Index, stops: Index, owners: Index) -> tuple[Index, Index]:
    """Every slot of the half-open ranges ``starts..stops``, with its range's owner."""
    lengths = stops - starts
    first = np.repeat(np.cumsum(lengths) - lengths, lengths)
    which = np.repeat(np.arange(len(starts)), lengths)
    return starts[which] + np.arange(int(lengths.sum())) - first, owners[which]


def _check_monday(reference: date) -> date:
    if reference.weekday() != 0:
        raise ValueError(f"the reference week must start on a Monday, not {reference:%A %Y-%m-%d}")
    return reference


# --- vocabularies --------------------------------------------------------------------------------------


class _Vocabulary:
    """Lower-cased items with runs of spaces collapsed, numbered in order of first appearance."""

    def __init__(self, items: Iterable[str]) -> None:
        self.index: dict[str, int] = {}
        self._seen: dict[str, int] = {}  # raw spelling -> position (-1: empty), to skip re-keying
        names: list[str] = []
        for item in items:
            if item not in self._seen:
                key = _key(item)
                if key and key not in self.index:
                    self.index[key] = len(names)
                    names.append(item.strip())
                self._seen[item] = self.index.get(key, -1)
        self.names = tuple(names)

    def position(self, item: str) -> int:
        """The item's position, -1 when it is empty or unknown."""
        found = self._seen.get(item)
        return self.index.get(_key(item), -1) if found is None else found

    def indicator(self, rows: Sequence[Iterable[str]]) -> Sparse:
        """A sparse 0/1 float32 matrix: row ``r`` has a 1 for each item of ``rows[r]``."""
        memo: dict[tuple[str, ...], list[int]] = {}  # people share whole lists, too
        cols = []
        for row in rows:
            items = tuple(row)
            found = memo.get(items)
            if found is None:
                found = memo[items] = sorted({self.position(x) for x in items} - {-1})
            cols.append(found)
        indptr = np.cumsum([0, *map(len, cols)])
        indices = np.fromiter(itertools.chain.from_iterable(cols), np.int32, int(indptr[-1]))
        data = np.ones(len(indices), np.float32)
        return sparse.csr_array((data, indices, indptr), shape=(len(rows), len(self.names)))

    def bits(self, rows: Sequence[Iterable[str]]) -> npt.NDArray[np.uint64]:
        """A bit matrix: bit ``b`` of word ``w`` in row ``r`` set when item ``64w + b`` is there."""
        matrix = self.indicator(rows).tocoo()
        out = np.zeros((len(rows), max(1, -(-len(self.names) // 64))), np.uint64)
        bit = np.left_shift(np.uint64(1), (matrix.col % 64).astype(np.uint64))
        np.bitwise_or.at(out, (matrix.row, matrix.col // 64), bit)
        return out

    def codes(self, items: Sequence[str]) -> npt.NDArray[np.int32]:
        """Each item's position, -1 for an empty one."""
        return np.array([self.position(item) for item in items], np.int32)


def _key(item: str) -> str:
    return " ".join(item.split()).casefold()


def _channel_bits(rows: Sequence[tuple[str, ...]]) -> npt.NDArray[np.uint8]:
    memo: dict[tuple[str, ...], int] = {}
    for channels in set(rows):
        names = {c.strip().lower() for c in channels}
        memo[channels] = sum(1 << i for i, name in enumerate(CHANNELS) if name in names)
    return np.array([memo[channels] for channels in rows], np.uint8)


def _seniority(level: int | None) -> int:
    return 0 if level is None else min(max(level, 1), MAX_SENIORITY)


# --- free text -----------------------------------------------------------------------------------------


def _parts(person: Participant) -> tuple[str, ...]:
    return (*person.values, *person.interests, person.goals)


def _tfidf(people: Sequence[Participant]) -> tuple[tuple[str, ...], Sparse]:
    """TF-IDF rows of values, interests and goals, fitted on everyone (both sides).

    Weighed as :mod:`matching_engine.tfidf` says; each distinct phrase is split once:
    people share most of their values and interests.
    """
    part_at: dict[str, int] = {}
    person_parts = [[part_at.setdefault(part, len(part_at)) for part in _parts(p)] for p in people]
    words = [tokens(part) for part in part_at]
    terms = tuple(sorted({t for found in words for t in found}))
    if not terms:
        return (), sparse.csr_array((len(people), 0), dtype=np.float32)
    term_at = {t: i for i, t in enumerate(terms)}
    part_terms = _counts([[term_at[t] for t in found] for found in words], len(terms))
    return terms, weigh(_counts(person_parts, len(part_at)) @ part_terms)


def _counts(rows: Sequence[list[int]], width: int) -> Sparse:
    """A sparse float32 matrix counting how often each column appears in each row."""
    indptr = np.cumsum([0, *map(len, rows)])
    indices = np.fromiter((c for row in rows for c in row), np.int32, int(indptr[-1]))
    matrix = sparse.csr_array((np.ones(len(indices), np.float32), indices, indptr), shape=(len(rows), width))
    matrix.sum_duplicates()
    return matrix


# --- the reporting tree --------------------------------------------------------------------------------


def manager_chains(people: Iterable[Participant]) -> dict[str, tuple[str, ...]]:
    """Each person's managers by id, nearest first, following ``manager_id`` within ``people``."""
    manager = {p.id: p.manager_id for p in people}
    chains: dict[str, tuple[str, ...]] = {}
    for start in manager:
        path, node = [], start
        while node in manager and node not in chains and node not in path:
            path.append(node)
            node = manager[node]
        tail = (node, *chains[node]) if node in chains else ()
        for person in reversed(path):
            chains[person] = tail
            tail = (person, *tail)
    return chains


def _same_line(
    mentees: Sequence[Participant], mentors: Sequence[Participant], chains: dict[str, tuple[str, ...]]
) -> npt.NDArray[np.int32]:
    """(mentee, mentor) index pairs where one is the other's manager at any depth."""
    mentee_at = {p.id: i for i, p in enumerate(mentees)}
    mentor_at = {p.id: j for j, p in enumerate(mentors)}
    pairs = [(i, mentor_at[a]) for i, p in enumerate(mentees) for a in chains[p.id] if a in mentor_at]
    pairs += [(mentee_at[a], j) for j, p in enumerate(mentors) for a in chains[p.id] if a in mentee_at]
    return np.array(sorted(set(pairs)), np.int32).reshape(-1, 2)


__all__ = [
    "DEFAULT_REFERENCE",
    "WEEK_SLOTS",
    "Features",
    "Measurer",
    "Measures",
    "SideFeatures",
    "availability_slots",
    "build_features",
    "manager_chains",
    "zone_slots",
]
