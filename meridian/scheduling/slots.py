"""Slot search across time zones: weekly windows made concrete, intersected and split.

Pure: the standard library and the one availability parser, no Django. Each person's
weekly windows are read on their own clock (``zoneinfo``); the results are aware UTC.

Two clock rules decide what a window means on a clock-change day, everywhere in here:

* a local time that does not exist (the spring gap) moves forward to the end of the gap:
  02:30 on a day the clocks go 02:00 -> 03:00 is 03:00;
* a local time that happens twice (the autumn repeat) is its first occurrence (``fold=0``).
  So a window that ends inside the repeated hour ends in its first pass, and one that
  runs through the end of the repeat covers both passes.

Internally an instant is an int of seconds since the Unix epoch and a clock reading an
int of "wall seconds" since 1970-01-01 00:00 on that clock; an interval list is a flat,
sorted sequence ``s0, e0, s1, e1, ...`` whose intervals neither overlap nor touch. That
keeps the search free of per-minute work and of datetime arithmetic until the edges.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from matching_engine import MINUTES_PER_DAY, parse_availability

Interval = tuple[datetime, datetime]
WeeklyWindow = tuple[int, time, time]

DAY = 86_400
WEEK = 7 * DAY
DEFAULT_WORKING_HOURS: tuple[WeeklyWindow, ...] = tuple((day, time(9), time(17)) for day in range(5))

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_SECOND = timedelta(seconds=1)
_PROBE = 6 * 3600  # offset changes are found by probing this often, then bisecting to the second
_YEARS = (2, 9997)  # keeps every probe and margin inside datetime's range

Flat = Sequence[int]


class SlotError(ValueError):
    """A slot search was asked something it cannot answer; the message says what."""


@dataclass(frozen=True, slots=True)
class Person:
    """One person in a search: their IANA zone and weekly windows on their own clock.

    An empty ``working_hours`` means :data:`DEFAULT_WORKING_HOURS` (Mon-Fri 09:00-17:00).
    """

    zone: str
    availability: tuple[WeeklyWindow, ...]
    working_hours: tuple[WeeklyWindow, ...] = ()
    name: str = ""


@dataclass(frozen=True, slots=True)
class Slot:
    """A stretch of time everyone can meet, aware UTC.

    ``best``: the whole slot lies inside every person's working hours.

    ``shift``: how far the slot has moved on the viewer's clock relative to the other
    people's clocks since the search start, because some clock changed. For each person
    it is the change of ``offset(viewer) - offset(person)`` between the search start and
    the slot start; the one of largest magnitude is reported (the first such person on a
    tie), ``timedelta(0)`` when nothing moved. Negative means earlier for the viewer:
    a London viewer meeting a New Yorker in the weeks the US has changed clocks and the UK
    has not sees ``-1 h`` (New York's 09:00 reads 13:00 in London instead of 14:00).
    """

    start: datetime
    end: datetime
    best: bool
    shift: timedelta


@dataclass(frozen=True, slots=True)
class ClockChange:
    """A zone's UTC offset changing at ``at`` (aware UTC) from ``before`` to ``after``."""

    zone: str
    at: datetime
    before: timedelta
    after: timedelta


# --- the public functions ----------------------------------------------------------------------


def windows_from_text(text: str) -> list[WeeklyWindow]:
    """``Mon 09:00-12:00; Wed 14:00-17:30`` as weekly windows (an end of 24:00 is ``time(0)``).

    Raises :class:`~matching_engine.availability.AvailabilityError` on bad text.
    """
    return [(w.weekday, _clock(w.start), _clock(w.end)) for w in parse_availability(text)]


def expand(
    windows: Iterable[WeeklyWindow], zone: str | ZoneInfo, start: date | datetime, end: date | datetime
) -> list[Interval]:
    """The windows made concrete on the local dates ``start`` up to, not including, ``end``.

    Dates are dates of ``zone``'s clock; an aware datetime bound counts its local date
    and clips the result to ``[start, end)``. Sorted aware UTC intervals, merged where
    they touch (24:00 of one day and 00:00 of the next), with the module's clock rules.
    """
    zi = _zone(zone)
    pattern = _pattern(tuple(windows))
    first, lo = _bound(start, zi, end=False)
    stop, hi = _bound(end, zi, end=True)
    if first >= stop or (lo is not None and hi is not None and lo >= hi):
        raise SlotError("expand: start must be before end")
    flat: Flat = _expand_days(zi, pattern, first, stop)
    if lo is not None or hi is not None:
        flat = _clip(flat, -(2**62) if lo is None else _floor(lo), 2**62 if hi is None else _ceil(hi))
    return _exact(_intervals(flat), lo, hi)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted aware UTC intervals, overlapping or touching ones merged, empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted((_utc(s), _utc(e)) for s, e in intervals):
        if end < start:
            raise SlotError(f"interval ends before it starts: {start.isoformat()} > {end.isoformat()}")
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        elif start < end:
            merged.append((start, end))
    return merged


def overlap(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The time in both ``a`` and ``b``: sorted aware UTC intervals, merged where they touch."""
    left, right = merge(a), merge(b)
    out: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def mutual_slots(
    people: Sequence[Person], start: datetime, end: datetime, *, viewer_zone: str, minutes: int = 0
) -> list[Slot]:
    """Everyone's shared availability in ``[start, end)``, split where ``best`` or ``shift`` changes.

    Pieces shorter than ``minutes`` are dropped (0 keeps all). Sorted by start.
    """
    if not people:
        raise SlotError("mutual_slots needs at least one person")
    if minutes < 0:
        raise SlotError("minutes must not be negative")
    lo, hi = _range(start, end)
    viewer = _zone(viewer_zone)
    zones = tuple(_zone(p.zone) for p in people)
    mutual: Flat | None = None
    for person, zone in zip(people, zones, strict=True):
        mine = _over(zone, _pattern(person.availability), lo, hi)
        mutual = mine if mutual is None else _intersect(mutual, mine)
        if not mutual:
            return []
    assert mutual is not None
    working = tuple(_pattern(p.working_hours or DEFAULT_WORKING_HOURS) for p in people)
    best = _working_together(tuple(zip(zones, working, strict=True)), lo, hi)
    steps, values = _shift_steps(viewer, zones, lo, hi)
    return _slots(_split(mutual, best, steps, values), start, end, minutes * 60)


def start_times(slots: Sequence[Slot], minutes: int, zone: str, step: int = 30) -> list[datetime]:
    """Meeting starts, aware UTC: on ``step``-minute marks of ``zone``'s clock (counted from
    local midnight), each leaving room for ``minutes`` inside its slot. Sorted, no repeats;
    both passes of a repeated autumn hour are offered."""
    if minutes <= 0 or step <= 0:
        raise SlotError("minutes and step must be positive")
    zi = _zone(zone)
    found: set[int] = set()
    for slot in slots:
        first, last = _ceil(slot.start), _floor(slot.end) - minutes * 60
        if first <= last:
            found.update(_marks(zi, first, last, step * 60))
    return [_dt(s) for s in sorted(found)]


def clock_changes(zones: Iterable[str], start: datetime, end: datetime) -> list[ClockChange]:
    """Every UTC-offset change of ``zones`` at an instant in ``[start, end)``, sorted by time."""
    _range(start, end)
    lo, hi = _ceil(start), _ceil(end)
    changes = []
    for name in set(zones):
        times, offsets = _segments(_zone(name), lo, hi)
        for j in range(bisect_left(times, lo), bisect_left(times, hi)):
            before, after = timedelta(seconds=offsets[j]), timedelta(seconds=offsets[j + 1])
            changes.append(ClockChange(zone=name, at=_dt(times[j]), before=before, after=after))
    return sorted(changes, key=lambda c: (c.at, c.zone))


# --- zones and their offsets -------------------------------------------------------------------


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else _zone_named(zone)


@cache
def _zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise SlotError(f"unknown time zone {name!r}") from exc


def _probe(zone: ZoneInfo, t: int) -> int:
    offset = datetime.fromtimestamp(t, zone).utcoffset()
    assert offset is not None
    return offset // _SECOND


@lru_cache(maxsize=4096)
def _year_changes(zone: ZoneInfo, year: int) -> tuple[tuple[int, int], ...]:
    """``(at, after)`` for each offset change with ``at`` in (1 Jan ``year``, 1 Jan next] UTC.

    Assumes no two changes within one probe interval (six hours), true of every zone today.
    """
    t, end = _floor(datetime(year, 1, 1, tzinfo=UTC)), _floor(datetime(year + 1, 1, 1, tzinfo=UTC))
    offset = _probe(zone, t)
    changes = []
    while t < end:
        nxt = min(t + _PROBE, end)
        after = _probe(zone, nxt)
        if after != offset:
            lo, hi = t, nxt
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if _probe(zone, mid) == offset else (lo, mid)
            changes.append((hi, after))
        t, offset = nxt, after
    return tuple(changes)


@lru_cache(maxsize=1024)
def _year_segments(zone: ZoneInfo, first: int, last: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    offsets = [_probe(zone, _floor(datetime(first, 1, 1, tzinfo=UTC)))]
    times: list[int] = []
    for year in range(first, last + 1):
        for at, after in _year_changes(zone, year):
            times.append(at)
            offsets.append(after)
    return tuple(times), tuple(offsets)


def _segments(zone: ZoneInfo, lo: int, hi: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Offset changes around ``[lo, hi]``: ``offsets[k]`` holds from ``times[k-1]`` to ``times[k]``."""
    return _year_segments(zone, _year(lo - 2 * DAY), _year(hi + 2 * DAY))


def _offset_at(zone: ZoneInfo, t: int) -> int:
    times, offsets = _segments(zone, t, t)
    return offsets[bisect_right(times, t)]


def _year(t: int) -> int:
    return _year_of_day(t // DAY)


@lru_cache(maxsize=4096)
def _year_of_day(day: int) -> int:
    return date.fromordinal(day + _EPOCH_ORDINAL).year


# --- weekly windows to UTC ---------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _pattern(windows: tuple[WeeklyWindow, ...]) -> tuple[int, ...]:
    """The windows as flat wall seconds after Monday 00:00, merged where they touch."""
    spans = sorted(map(_span, windows))
    flat: list[int] = []
    for start, end in spans:
        if flat and start <= flat[-1]:
            flat[-1] = max(flat[-1], end)
        else:
            flat += (start, end)
    return tuple(flat)


def _span(window: WeeklyWindow) -> tuple[int, int]:
    weekday, start, end = window
    if not (isinstance(weekday, int) and 0 <= weekday <= 6):
        raise SlotError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise SlotError("weekly windows are local clock times; they carry no time zone")
    first = start.hour * 3600 + start.minute * 60 + start.second
    last = end.hour * 3600 + end.minute * 60 + end.second or DAY
    if last <= first:
        raise SlotError(f"window {start.isoformat()}-{end.isoformat()} does not end after it starts")
    return weekday * DAY + first, weekday * DAY + last


@lru_cache(maxsize=16384)
def _expand_days(zone: ZoneInfo, pattern: tuple[int, ...], first: int, stop: int) -> tuple[int, ...]:
    """Flat UTC intervals of ``pattern`` on the local dates with ordinals ``first`` to ``stop - 1``."""
    if not pattern:
        return ()
    monday = first - (first + 6) % 7  # date ordinal 1 (1 Jan of year 1) is a Monday
    base = (monday - _EPOCH_ORDINAL) * DAY
    wall: Flat = [base + week * WEEK + p for week in range(-(-(stop - monday) // 7)) for p in pattern]
    if pattern[0] == 0 and pattern[-1] == WEEK:  # Sunday 24:00 touches next Monday 00:00
        wall = _tidy(wall)
    wall = _clip(wall, (first - _EPOCH_ORDINAL) * DAY, (stop - _EPOCH_ORDINAL) * DAY)
    return tuple(_to_utc(zone, wall))


def _to_utc(zone: ZoneInfo, wall: Flat) -> list[int]:
    """Map sorted wall seconds to UTC with the clock rules (monotone, so order is kept).

    Between the change at ``times[j-1]`` and the next, wall ``w`` is ``w - offsets[j]``,
    raised to ``times[j-1]`` if it fell in the gap; the wall range of an older offset runs
    on through a repeat, which makes a repeated time its first occurrence.
    """
    if not wall:
        return []
    times, offsets = _segments(zone, wall[0] - DAY, wall[-1] + DAY)
    i, k = bisect_left(times, wall[0] - 2 * DAY), bisect_right(times, wall[-1] + 2 * DAY)
    times, offsets = times[i:k], offsets[i : k + 1]
    if not times:
        offset = offsets[0]
        return [w - offset for w in wall]
    offset = offsets[0]
    cut = bisect_left(wall, times[0] + offset)
    out = [w - offset for w in wall[:cut]]
    collapsed = False
    for j, at in enumerate(times, start=1):
        offset = offsets[j]
        nxt = bisect_left(wall, times[j] + offset) if j < len(times) else len(wall)
        gap_end = bisect_left(wall, at + offset, cut, nxt)  # walls before it fell in a gap
        collapsed = collapsed or gap_end > cut
        out += [at] * (gap_end - cut)
        out += [w - offset for w in wall[gap_end:nxt]]
        cut = nxt
    # otherwise the map is strictly increasing: nothing empty, nothing touching
    return _tidy(out) if collapsed else out


def _over(zone: ZoneInfo, pattern: tuple[int, ...], lo: int, hi: int) -> Flat:
    """Flat UTC intervals of ``pattern`` on ``zone``'s clock, clipped to ``[lo, hi)``."""
    first = (lo + _offset_at(zone, lo)) // DAY + _EPOCH_ORDINAL
    stop = (hi - 1 + _offset_at(zone, hi - 1)) // DAY + _EPOCH_ORDINAL + 1
    return _clip(_expand_days(zone, pattern, first, stop), lo, hi)


# --- flat interval lists -----------------------------------------------------------------------


def _tidy(flat: Flat) -> list[int]:
    """Drop empty intervals and merge overlapping or touching ones (input sorted by start)."""
    out: list[int] = []
    for i in range(0, len(flat), 2):
        start, end = flat[i], flat[i + 1]
        if start >= end:
            continue
        if out and start <= out[-1]:
            out[-1] = max(out[-1], end)
        else:
            out += (start, end)
    return out


def _clip(flat: Flat, lo: int, hi: int) -> Flat:
    if lo >= hi:
        return ()
    i, j = bisect_right(flat, lo), bisect_left(flat, hi)
    if i == 0 and j == len(flat):
        return flat
    return [*([lo] if i % 2 else ()), *flat[i:j], *([hi] if j % 2 else ())]


def _intersect(a: Flat, b: Flat) -> list[int]:
    """Walk the shorter list; find each of its intervals' part of the other by bisection."""
    if len(a) > len(b):
        a, b = b, a
    out: list[int] = []
    for i in range(0, len(a), 2):
        start, end = a[i], a[i + 1]
        j, k = bisect_right(b, start), bisect_left(b, end)
        if j % 2:  # start lies inside one of b's intervals
            out.append(start)
        out += b[j:k]
        if k % 2:  # so does end
            out.append(end)
    return out


# --- splitting into slots ----------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _working_together(hours: tuple[tuple[ZoneInfo, tuple[int, ...]], ...], lo: int, hi: int) -> Flat:
    """When everyone is inside their working hours (most people share a few patterns)."""
    together: Flat | None = None
    for zone, pattern in hours:
        mine = _over(zone, pattern, lo, hi)
        together = mine if together is None else _intersect(together, mine)
    assert together is not None
    return tuple(together)  # cached: shared between calls, so immutable


@lru_cache(maxsize=1024)
def _shift_steps(
    viewer: ZoneInfo, zones: tuple[ZoneInfo, ...], lo: int, hi: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """When the reported shift changes in ``(lo, hi)``: ``values[k]`` holds from ``times[k-1]``."""
    segments = {zone: _segments(zone, lo, hi) for zone in {viewer, *zones}}

    def relation(zone: ZoneInfo, t: int) -> int:
        (v_times, v_offsets), (z_times, z_offsets) = segments[viewer], segments[zone]
        return v_offsets[bisect_right(v_times, t)] - z_offsets[bisect_right(z_times, t)]

    base = [relation(zone, lo) for zone in zones]
    moments = sorted({t for times, _ in segments.values() for t in times if lo < t < hi})
    times: list[int] = []
    values = [0]
    for t in moments:
        value = max((relation(zone, t) - b for zone, b in zip(zones, base, strict=True)), key=abs)
        if value != values[-1]:
            times.append(t)
            values.append(value)
    return tuple(times), tuple(values)


def _split(
    mutual: Flat, best: Flat, steps: Sequence[int], values: Sequence[int]
) -> list[tuple[int, int, bool, int]]:
    """Cut each mutual interval where ``best`` starts or ends or the shift steps."""
    pieces = []
    for i in range(0, len(mutual), 2):
        start, end = mutual[i], mutual[i + 1]
        b0, b1 = bisect_right(best, start), bisect_left(best, end)
        s0, s1 = bisect_right(steps, start), bisect_left(steps, end)
        if b0 == b1 and s0 == s1:
            pieces.append((start, end, b0 % 2 == 1, values[s0]))
            continue
        for cut in sorted({*best[b0:b1], *steps[s0:s1], end}):
            pieces.append(
                (start, cut, bisect_right(best, start) % 2 == 1, values[bisect_right(steps, start)])
            )
            start = cut
    return pieces


def _slots(
    pieces: list[tuple[int, int, bool, int]], start: datetime, end: datetime, shortest: int
) -> list[Slot]:
    shifts: dict[int, timedelta] = {}
    slots = []
    for a, b, best, shift in pieces:
        if b - a >= shortest:
            if shift not in shifts:
                shifts[shift] = timedelta(seconds=shift)
            slots.append(Slot(start=_dt(a), end=_dt(b), best=best, shift=shifts[shift]))
    if slots and (start.microsecond or end.microsecond):
        # the search bounds were widened to whole seconds: put them back exactly
        for index in (0, -1):
            if slots:
                slot = slots[index]
                s, e = max(slot.start, _utc(start)), min(slot.end, _utc(end))
                if s >= e or e - s < timedelta(seconds=shortest):
                    del slots[index]
                else:
                    slots[index] = Slot(start=s, end=e, best=slot.best, shift=slot.shift)
    return slots


def _marks(zone: ZoneInfo, first: int, last: int, step: int) -> list[int]:
    """Instants in ``[first, last]`` whose reading on ``zone``'s clock is a multiple of ``step``
    seconds after local midnight."""
    times, offsets = _segments(zone, first, last)
    k = bisect_right(times, first)
    bounds = [first, *(t for t in times[k:] if t <= last), last + 1]
    found = []
    for j in range(len(bounds) - 1):
        offset = offsets[k + j]
        wall, wall_end = bounds[j] + offset, bounds[j + 1] + offset
        while wall < wall_end:
            day = wall // DAY * DAY
            mark = day + -(-(wall - day) // step) * step
            if mark >= day + DAY:
                mark = day + DAY
            if mark < wall_end:
                found.append(mark - offset)
            wall = mark + 1
    return found


# --- edges: datetimes in, datetimes out --------------------------------------------------------


def _utc(value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise SlotError(f"expected an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _floor(value: datetime) -> int:
    return (_utc(value) - _EPOCH) // _SECOND


def _ceil(value: datetime) -> int:
    return -((_EPOCH - _utc(value)) // _SECOND)


def _range(start: datetime, end: datetime) -> tuple[int, int]:
    lo, hi = _floor(start), _ceil(end)
    if start >= end:
        raise SlotError(f"start {start.isoformat()} is not before end {end.isoformat()}")
    _check_years(start, end)
    return lo, hi


def _check_years(*values: date) -> None:
    for value in values:
        if not _YEARS[0] <= value.year <= _YEARS[1]:
            raise SlotError(f"{value.isoformat()} is outside the years {_YEARS[0]}-{_YEARS[1]}")


def _bound(value: date | datetime, zone: ZoneInfo, *, end: bool) -> tuple[int, datetime | None]:
    """A bound of :func:`expand` as a local date ordinal (exclusive for ``end``) and a clip instant."""
    if isinstance(value, datetime):
        _utc(value)
        _check_years(value)
        t = _ceil(value) - 1 if end else _floor(value)
        return (t + _offset_at(zone, t)) // DAY + _EPOCH_ORDINAL + (1 if end else 0), value
    _check_years(value)
    return value.toordinal(), None


def _exact(intervals: list[Interval], lo: datetime | None, hi: datetime | None) -> list[Interval]:
    if intervals and lo is not None and intervals[0][0] < lo:
        intervals[0] = (_utc(lo), intervals[0][1])
    if intervals and hi is not None and intervals[-1][1] > hi:
        intervals[-1] = (intervals[-1][0], _utc(hi))
    return [(s, e) for s, e in intervals if s < e]


def _intervals(flat: Flat) -> list[Interval]:
    return [(_dt(flat[i]), _dt(flat[i + 1])) for i in range(0, len(flat), 2)]


@lru_cache(maxsize=65_536)
def _dt(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def _clock(minutes: int) -> time:
    return time(0) if minutes == MINUTES_PER_DAY else time(minutes // 60, minutes % 60)


def weekly_starts(first: datetime, zone: str, every_weeks: int, count: int) -> list[datetime]:
    """The starts of a repeating meeting: the same wall-clock time in ``zone`` (the
    organiser's) every ``every_weeks`` weeks, ``count`` times, as calendars read an RRULE:
    after a clock change the local hour stays and the UTC time moves. A wall time in a
    spring gap is read with the offset before the gap (02:30 becomes 03:30); an ambiguous
    one takes its first occurrence."""
    tz = _zone(zone)
    wall = first.astimezone(tz).replace(tzinfo=None)
    step = timedelta(weeks=every_weeks)
    return [(wall + n * step).replace(tzinfo=tz, fold=0).astimezone(UTC) for n in range(count)]
