"""The pure slot search: hand-worked clock-change days, and properties checked against a
per-minute brute force that reads each person's own clock through ``zoneinfo``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from matching_engine.availability import AvailabilityError
from meridian.scheduling.slots import (
    DEFAULT_WORKING_HOURS,
    ClockChange,
    Interval,
    Person,
    Slot,
    SlotError,
    WeeklyWindow,
    clock_changes,
    expand,
    merge,
    mutual_slots,
    overlap,
    start_times,
    weekly_starts,
    windows_from_text,
)

MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)
LONDON, NEW_YORK, BERLIN = "Europe/London", "America/New_York", "Europe/Berlin"
SYDNEY, SAO_PAULO = "Australia/Sydney", "America/Sao_Paulo"
KOLKATA, KATHMANDU = "Asia/Kolkata", "Asia/Kathmandu"
DST_ZONES = [
    LONDON,
    NEW_YORK,
    BERLIN,
    SYDNEY,
    "Australia/Adelaide",
    "Australia/Lord_Howe",  # a 30-minute change
    "Pacific/Auckland",
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/Santiago",  # changes at local midnight
    "America/St_Johns",  # -3:30 / -2:30
]
ZONES = [*DST_ZONES, SAO_PAULO, KOLKATA, KATHMANDU, "Asia/Tokyo", "UTC"]
FAST = settings(max_examples=40, deadline=None)
SLOW = settings(max_examples=12, deadline=None)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def person(zone: str, text: str, working: str = "") -> Person:
    return Person(zone, tuple(windows_from_text(text)), tuple(windows_from_text(working)))


def minutes_of(intervals: Sequence[Interval] | Sequence[Slot]) -> int:
    spans = [(i.start, i.end) if isinstance(i, Slot) else i for i in intervals]
    return sum((e - s) // MIN for s, e in spans)


# --- the brute force: one instant at a time, on the person's own clock -------------------------


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _by_day(windows: Sequence[WeeklyWindow]) -> list[list[tuple[int, int]]]:
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for weekday, start, end in windows:
        days[weekday].append((_seconds(start), _seconds(end) or 86_400))
    return days


def _local_seconds(local: datetime) -> int:
    return local.hour * 3600 + local.minute * 60 + local.second


def covered(instant: datetime, zone: ZoneInfo, days: list[list[tuple[int, int]]]) -> bool:
    """Whether the windows cover ``instant``, read on ``zone``'s clock: its reading lies in a
    window; in the second pass of a repeated hour (fold=1) only a window running through the
    end of the repeat covers it (repeated times are their first occurrence)."""
    local = instant.astimezone(zone)
    if not local.fold:
        now = _local_seconds(local)
        return any(s <= now < e for s, e in days[local.weekday()])
    after = instant
    while after.astimezone(zone).fold:
        after += MIN
    resume = after.astimezone(zone)
    repeat_end = _local_seconds(resume) + (86_400 if resume.date() != local.date() else 0)
    return any(s < repeat_end <= e for s, e in days[local.weekday()])


def brute_minutes(start: datetime, end: datetime, people: Sequence[Person]) -> list[datetime]:
    """Every minute of ``[start, end)`` that all ``people`` have available."""
    readers = [(ZoneInfo(p.zone), _by_day(p.availability)) for p in people]
    found, t = [], start
    while t < end:
        if all(covered(t, zone, days) for zone, days in readers):
            found.append(t)
        t += MIN
    return found


# --- strategies --------------------------------------------------------------------------------


@st.composite
def windows(draw: st.DrawFn, max_size: int = 6) -> list[WeeklyWindow]:
    """Windows on 15-minute steps, often in the small hours where clocks change."""
    out: list[WeeklyWindow] = []
    for _ in range(draw(st.integers(0, max_size))):
        weekday = draw(st.integers(0, 6))
        start = draw(st.one_of(st.integers(0, 95), st.integers(0, 16), st.sampled_from([88, 92])))
        end = draw(st.integers(start + 1, 96))
        stop = time(0) if end == 96 else time(end // 4, end % 4 * 15)
        out.append((weekday, time(start // 4, start % 4 * 15), stop))
    return out


@st.composite
def local_day(draw: st.DrawFn, zone: str) -> date:
    """A date of ``zone``'s clock in 2000-2037, half the time within a week of a clock change."""
    year = draw(st.integers(2000, 2037))
    changes = clock_changes([zone], utc(year, 1, 1), utc(year + 1, 1, 1))
    near = draw(st.booleans())
    if changes and near:
        anchor = draw(st.sampled_from(changes)).at.astimezone(ZoneInfo(zone)).date()
        return anchor + timedelta(days=draw(st.integers(-6, 2)))
    return date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))


@st.composite
def around_a_change(draw: st.DrawFn, days: int) -> tuple[datetime, datetime, str]:
    """``days`` from a UTC quarter hour, spanning one clock change of the returned zone."""
    zone = draw(st.sampled_from(DST_ZONES))
    year = draw(st.integers(2000, 2037))
    changes = clock_changes([zone], utc(year, 1, 1), utc(year + 1, 1, 1))
    assume(changes)  # Chile kept summer time through 2015
    change = draw(st.sampled_from(changes))
    start = change.at - timedelta(minutes=15 * draw(st.integers(1, days * 96 - 1)))
    return start, start + timedelta(days=days), zone


@st.composite
def interval_lists(draw: st.DrawFn) -> list[Interval]:
    """Unsorted, overlapping intervals over two days, some written in other offsets."""
    base = utc(2026, 3, 28)
    zones = [UTC, timezone(timedelta(hours=5, minutes=45)), timezone(-timedelta(hours=3, minutes=30))]
    out = []
    for _ in range(draw(st.integers(0, 6))):
        start = base + MIN * draw(st.integers(0, 2880))
        end = start + MIN * draw(st.integers(1, 400))
        tz = draw(st.sampled_from(zones))
        out.append((start.astimezone(tz), end.astimezone(tz)))
    return out


# --- text and errors ---------------------------------------------------------------------------


def test_it_reads_windows_from_the_availability_text() -> None:
    assert windows_from_text("Wed 14:00-17:30; mon 09:00-12:00; Mon 22:00-24:00") == [
        (0, time(9), time(12)),
        (0, time(22), time(0)),
        (2, time(14), time(17, 30)),
    ]
    assert windows_from_text("") == []
    with pytest.raises(AvailabilityError):
        windows_from_text("Mon 9-12")


def test_it_refuses_unknown_zones_naive_times_and_empty_ranges() -> None:
    week = [(0, time(9), time(17))]
    with pytest.raises(SlotError, match="Mars/Olympus"):
        expand(week, "Mars/Olympus", date(2026, 1, 1), date(2026, 1, 8))
    with pytest.raises(SlotError, match="not before"):
        mutual_slots(
            [person(LONDON, "Mon 09:00-17:00")], utc(2026, 1, 8), utc(2026, 1, 1), viewer_zone=LONDON
        )
    with pytest.raises(SlotError):
        mutual_slots(
            [person(LONDON, "Mon 09:00-17:00")], utc(2026, 1, 1), utc(2026, 1, 8), viewer_zone="Nowhere"
        )
    with pytest.raises(SlotError, match="aware"):
        clock_changes([LONDON], datetime(2026, 1, 1), utc(2026, 2, 1))
    with pytest.raises(SlotError):
        expand([(0, time(17), time(9))], LONDON, date(2026, 1, 1), date(2026, 1, 8))
    assert issubclass(SlotError, ValueError)


# --- hand-worked days --------------------------------------------------------------------------


def test_it_reports_a_slot_moved_while_only_the_us_has_changed_clocks() -> None:
    # US clocks go forward on 8 March 2026, UK clocks on 29 March: for three Mondays
    # New York's 09:00 is 13:00 in London rather than 14:00.
    people = [person(LONDON, "Mon 12:00-18:00"), person(NEW_YORK, "Mon 09:00-10:00")]
    found = mutual_slots(people, utc(2026, 3, 2), utc(2026, 4, 6), viewer_zone=LONDON)
    assert [(s.start, s.end, s.best, s.shift) for s in found] == [
        (utc(2026, 3, 2, 14), utc(2026, 3, 2, 15), True, timedelta(0)),
        (utc(2026, 3, 9, 13), utc(2026, 3, 9, 14), True, -HOUR),
        (utc(2026, 3, 16, 13), utc(2026, 3, 16, 14), True, -HOUR),
        (utc(2026, 3, 23, 13), utc(2026, 3, 23, 14), True, -HOUR),
        (utc(2026, 3, 30, 13), utc(2026, 3, 30, 14), True, timedelta(0)),
    ]
    seen_from_new_york = mutual_slots(people, utc(2026, 3, 2), utc(2026, 4, 6), viewer_zone=NEW_YORK)
    assert [s.shift for s in seen_from_new_york] == [timedelta(0), HOUR, HOUR, HOUR, timedelta(0)]
    assert clock_changes([LONDON, NEW_YORK, LONDON], utc(2026, 3, 1), utc(2026, 4, 1)) == [
        ClockChange(NEW_YORK, utc(2026, 3, 8, 7), -5 * HOUR, -4 * HOUR),
        ClockChange(LONDON, utc(2026, 3, 29, 1), timedelta(0), HOUR),
    ]


def test_it_shrinks_an_overlap_when_one_clock_moves_and_splits_at_working_hours() -> None:
    people = [person(LONDON, "Mon 14:00-18:00"), person(NEW_YORK, "Mon 09:00-13:00")]
    found = mutual_slots(people, utc(2026, 3, 2), utc(2026, 3, 10), viewer_zone=LONDON)
    assert [(s.start, s.end, s.best, s.shift) for s in found] == [
        # London 14:00-17:00 is inside both working days; 17:00-18:00 is after London's
        (utc(2026, 3, 2, 14), utc(2026, 3, 2, 17), True, timedelta(0)),
        (utc(2026, 3, 2, 17), utc(2026, 3, 2, 18), False, timedelta(0)),
        # New York now ends at 17:00 UTC: an hour less
        (utc(2026, 3, 9, 14), utc(2026, 3, 9, 17), True, -HOUR),
    ]
    assert mutual_slots(people, utc(2026, 3, 2), utc(2026, 3, 10), viewer_zone=LONDON, minutes=61) == [
        found[0],
        found[2],
    ]


def test_it_follows_sydney_out_of_summer_time_against_sao_paulo() -> None:
    # Sydney leaves summer time on Sunday 5 April 2026 (03:00 -> 02:00, 16:00 UTC on the 4th);
    # Sao Paulo keeps -3 all year.
    people = [person(SYDNEY, "Mon 07:00-09:00"), person(SAO_PAULO, "Sun 17:00-20:00")]
    found = mutual_slots(people, utc(2026, 3, 29), utc(2026, 4, 7), viewer_zone=SAO_PAULO)
    assert [(s.start, s.end, s.best, s.shift) for s in found] == [
        (utc(2026, 3, 29, 20), utc(2026, 3, 29, 22), False, timedelta(0)),
        (utc(2026, 4, 5, 21), utc(2026, 4, 5, 23), False, HOUR),
    ]
    assert clock_changes([SYDNEY, SAO_PAULO], utc(2026, 1, 1), utc(2027, 1, 1)) == [
        ClockChange(SYDNEY, utc(2026, 4, 4, 16), 11 * HOUR, 10 * HOUR),
        ClockChange(SYDNEY, utc(2026, 10, 3, 16), 10 * HOUR, 11 * HOUR),
    ]


def test_it_meets_between_half_hour_and_three_quarter_hour_zones() -> None:
    people = [person(KOLKATA, "Mon 10:00-11:00"), person(KATHMANDU, "Mon 10:00-11:00")]
    found = mutual_slots(people, utc(2026, 6, 1), utc(2026, 6, 8), viewer_zone=KATHMANDU)
    assert [(s.start, s.end, s.best) for s in found] == [
        (utc(2026, 6, 1, 4, 30), utc(2026, 6, 1, 5, 15), True)
    ]
    assert start_times(found, 30, KATHMANDU) == [utc(2026, 6, 1, 4, 45)]  # 10:30 in Kathmandu
    assert start_times(found, 30, KOLKATA) == [utc(2026, 6, 1, 4, 30)]  # 10:00 in Kolkata
    assert start_times(found, 15, KATHMANDU, step=15) == [
        utc(2026, 6, 1, 4, 30),
        utc(2026, 6, 1, 4, 45),
        utc(2026, 6, 1, 5),
    ]
    assert start_times(found, 60, KATHMANDU) == []


@pytest.mark.parametrize(
    ("zone", "day", "text", "expected"),
    [
        # spring gaps: Berlin 02:00 -> 03:00 at 01:00 UTC, New York 02:00 -> 03:00 at 07:00 UTC
        (BERLIN, date(2026, 3, 29), "Sun 02:30-04:00", [(utc(2026, 3, 29, 1), utc(2026, 3, 29, 2))]),
        (BERLIN, date(2026, 3, 29), "Sun 01:00-02:30", [(utc(2026, 3, 29, 0), utc(2026, 3, 29, 1))]),
        (BERLIN, date(2026, 3, 29), "Sun 02:15-02:45", []),
        (  # both ends fall in the gap, so the two windows now touch
            BERLIN,
            date(2026, 3, 29),
            "Sun 01:00-02:15; Sun 02:45-04:00",
            [(utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))],
        ),
        (NEW_YORK, date(2026, 3, 8), "Sun 02:30-03:30", [(utc(2026, 3, 8, 7), utc(2026, 3, 8, 7, 30))]),
        # autumn repeats: Berlin 03:00 -> 02:00 at 01:00 UTC, New York 02:00 -> 01:00 at 06:00 UTC
        (BERLIN, date(2026, 10, 25), "Sun 02:30-04:00", [(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3))]),
        (BERLIN, date(2026, 10, 25), "Sun 01:00-02:30", [(utc(2026, 10, 24, 23), utc(2026, 10, 25, 0, 30))]),
        (NEW_YORK, date(2026, 11, 1), "Sun 01:30-03:00", [(utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 8))]),
        (NEW_YORK, date(2026, 11, 1), "Sun 00:00-01:30", [(utc(2026, 11, 1, 4), utc(2026, 11, 1, 5, 30))]),
        (NEW_YORK, date(2026, 11, 1), "Sun 01:00-02:00", [(utc(2026, 11, 1, 5), utc(2026, 11, 1, 7))]),
    ],
)
def test_it_applies_the_gap_and_repeat_rules_on_real_days(
    zone: str, day: date, text: str, expected: list[Interval]
) -> None:
    weekly = windows_from_text(text)
    assert expand(weekly, zone, day, day + timedelta(days=1)) == expected
    # the same with both of the year's clock changes in the range
    whole_year = expand(weekly, zone, date(2026, 1, 1), date(2027, 1, 1))
    assert [
        i for i in whole_year if abs(i[0] - utc(day.year, day.month, day.day)) < timedelta(days=1)
    ] == expected


def test_it_merges_a_window_ending_at_midnight_with_the_next_days() -> None:
    weekly = windows_from_text("Mon 00:00-01:00; Mon 22:00-24:00; Tue 00:00-02:00; Sun 23:00-24:00")
    # Tokyo is +9: Monday 22:00 is 13:00 UTC; Sunday 23:00 runs on into Monday 01:00
    assert expand(weekly, "Asia/Tokyo", date(2026, 6, 1), date(2026, 6, 9)) == [
        (utc(2026, 5, 31, 15), utc(2026, 5, 31, 16)),
        (utc(2026, 6, 1, 13), utc(2026, 6, 1, 17)),
        (utc(2026, 6, 7, 14), utc(2026, 6, 7, 16)),
        (utc(2026, 6, 8, 13), utc(2026, 6, 8, 15)),
    ]
    # the end date is not included, and datetimes clip
    assert expand(weekly, "Asia/Tokyo", date(2026, 6, 1), date(2026, 6, 2)) == [
        (utc(2026, 5, 31, 15), utc(2026, 5, 31, 16)),
        (utc(2026, 6, 1, 13), utc(2026, 6, 1, 15)),
    ]
    assert expand(weekly, "Asia/Tokyo", utc(2026, 6, 1, 14), utc(2026, 6, 1, 16, 30)) == [
        (utc(2026, 6, 1, 14), utc(2026, 6, 1, 16, 30)),
    ]


def test_it_finds_nothing_when_someone_gave_no_availability() -> None:
    people = [person(LONDON, "Mon 09:00-17:00"), person(NEW_YORK, "")]
    assert mutual_slots(people, utc(2026, 3, 2), utc(2026, 4, 6), viewer_zone=LONDON) == []
    assert expand([], LONDON, date(2026, 3, 2), date(2026, 4, 6)) == []
    assert start_times([], 30, LONDON) == []


def test_it_uses_default_working_hours_and_custom_ones() -> None:
    assert DEFAULT_WORKING_HOURS[0] == (0, time(9), time(17))
    assert len(DEFAULT_WORKING_HOURS) == 5
    weekend = [person(BERLIN, "Sat 10:00-12:00"), person(LONDON, "Sat 09:00-11:00")]
    found = mutual_slots(weekend, utc(2026, 6, 6), utc(2026, 6, 7), viewer_zone=BERLIN)
    assert [(s.start, s.end, s.best) for s in found] == [(utc(2026, 6, 6, 8), utc(2026, 6, 6, 10), False)]
    weekend[1] = person(LONDON, "Sat 09:00-11:00", working="Sat 10:00-16:00")
    weekend[0] = person(BERLIN, "Sat 10:00-12:00", working="Sat 00:00-24:00")
    found = mutual_slots(weekend, utc(2026, 6, 6), utc(2026, 6, 7), viewer_zone=BERLIN)
    assert [(s.start, s.end, s.best) for s in found] == [
        (utc(2026, 6, 6, 8), utc(2026, 6, 6, 9), False),
        (utc(2026, 6, 6, 9), utc(2026, 6, 6, 10), True),
    ]


def test_it_keeps_sub_second_search_bounds_exact() -> None:
    start = utc(2026, 6, 1, 9, 0) + timedelta(microseconds=500)
    found = mutual_slots([person(LONDON, "Mon 09:00-17:00")], start, utc(2026, 6, 1, 12), viewer_zone=LONDON)
    assert [(s.start, s.end) for s in found] == [(start, utc(2026, 6, 1, 12))]


# --- properties --------------------------------------------------------------------------------


@FAST
@given(
    st.sampled_from(ZONES).flatmap(lambda z: st.tuples(st.just(z), local_day(z))),
    windows(),
    st.integers(1, 9),
)
def test_it_expands_only_into_stated_windows(
    zone_day: tuple[str, date], weekly: list[WeeklyWindow], days: int
) -> None:
    zone, first = zone_day
    zi = ZoneInfo(zone)
    by_day = _by_day(weekly)
    found = expand(weekly, zone, first, first + timedelta(days=days))
    assert found == merge(found)
    for start, end in found:
        assert start.utcoffset() == timedelta(0)
        assert end.utcoffset() == timedelta(0)
        assert _starts_a_window(start, zi, by_day)
        assert _ends_a_window(end, zi, by_day)
        t = start
        while t < end:
            local = t.astimezone(zi)
            if local.fold:  # the second pass of a repeated hour: the window began before it
                assert start < _repeat_began(t, zi)
            else:
                assert any(s <= _local_seconds(local) < e for s, e in by_day[local.weekday()])
            t += 15 * MIN


def _starts_a_window(instant: datetime, zone: ZoneInfo, by_day: list[list[tuple[int, int]]]) -> bool:
    local = instant.astimezone(zone)
    now = _local_seconds(local)
    if any(s == now for s, _ in by_day[local.weekday()]):
        return True
    gap = (instant.astimezone(zone).utcoffset() or timedelta(0)) - (
        (instant - MIN).astimezone(zone).utcoffset() or timedelta(0)
    )  # a spring gap just before: a window starting in it starts at its end
    return gap > timedelta(0) and any(now - gap.seconds <= s < now for s, _ in by_day[local.weekday()])


def _ends_a_window(instant: datetime, zone: ZoneInfo, by_day: list[list[tuple[int, int]]]) -> bool:
    local = instant.astimezone(zone)
    now, day = _local_seconds(local), local.weekday()
    ends = {e for _, e in by_day[day]} | ({0} if 86_400 in {e for _, e in by_day[(day - 1) % 7]} else set())
    if now in ends:
        return True
    gap = (local.utcoffset() or timedelta(0)) - ((instant - MIN).astimezone(zone).utcoffset() or timedelta(0))
    return gap > timedelta(0) and any(now - gap.seconds <= e < now for e in ends)


def _repeat_began(instant: datetime, zone: ZoneInfo) -> datetime:
    while instant.astimezone(zone).fold:
        instant -= MIN
    return instant + MIN


@FAST
@given(
    st.sampled_from(ZONES).flatmap(lambda z: st.tuples(st.just(z), local_day(z))),
    windows(),
    st.integers(1, 8),
    st.integers(1, 8),
)
def test_it_expands_a_range_as_the_union_of_its_parts(
    zone_day: tuple[str, date], weekly: list[WeeklyWindow], first: int, second: int
) -> None:
    zone, d1 = zone_day
    d2, d3 = d1 + timedelta(days=first), d1 + timedelta(days=first + second)
    assert expand(weekly, zone, d1, d3) == merge(expand(weekly, zone, d1, d2) + expand(weekly, zone, d2, d3))


@FAST
@given(st.sampled_from(ZONES).flatmap(lambda z: st.tuples(st.just(z), local_day(z))), windows())
def test_it_expands_to_what_the_clock_reads_minute_by_minute(
    zone_day: tuple[str, date], weekly: list[WeeklyWindow]
) -> None:
    zone, first = zone_day
    found = expand(weekly, zone, first, first + timedelta(days=3))
    lo = (
        datetime.combine(first, time(0), ZoneInfo(zone)).astimezone(UTC) - 4 * HOUR
    )  # UTC: minutes step evenly
    who = [Person(zone, tuple(weekly))]
    expected = [
        t
        for t in brute_minutes(lo, lo + timedelta(days=3, hours=8), who)
        if _local_date_in(t, zone, first, 3)
    ]
    assert minutes_of(found) == len(expected)
    assert all(any(s <= t < e for s, e in found) for t in expected)


def _local_date_in(instant: datetime, zone: str, first: date, days: int) -> bool:
    local = instant.astimezone(ZoneInfo(zone))
    if local.fold:  # counted with the day whose window ran into the repeat
        local = _repeat_began(instant, ZoneInfo(zone)).astimezone(ZoneInfo(zone))
    return first <= local.date() < first + timedelta(days=days)


@FAST
@given(interval_lists(), interval_lists())
def test_it_overlaps_commutatively_idempotently_and_inside_both(a: list[Interval], b: list[Interval]) -> None:
    both = overlap(a, b)
    assert both == overlap(b, a)
    assert overlap(a, a) == merge(a)
    assert overlap(both, a) == both
    assert overlap(both, b) == both
    assert all(s.utcoffset() == timedelta(0) and s < e for s, e in both)
    assert all(both[i][1] < both[i + 1][0] for i in range(len(both) - 1))
    assert minutes_of(both) == len(_minute_set(a) & _minute_set(b))


def _minute_set(intervals: list[Interval]) -> set[datetime]:
    """Each minute covered, one at a time."""
    found = set()
    for s, e in intervals:
        t = s.astimezone(UTC)
        while t < e:
            found.add(t)
            t += MIN
    return found


@SLOW
@given(around_a_change(14), st.sampled_from(ZONES), windows(8), windows(8), windows(3), st.booleans())
def test_it_finds_every_mutual_minute_across_a_clock_change(
    span: tuple[datetime, datetime, str],
    other_zone: str,
    first: list[WeeklyWindow],
    second: list[WeeklyWindow],
    working: list[WeeklyWindow],
    viewer_is_first: bool,
) -> None:
    start, end, zone = span
    people = [Person(zone, tuple(first), tuple(working)), Person(other_zone, tuple(second))]
    viewer = zone if viewer_is_first else other_zone
    found = mutual_slots(people, start, end, viewer_zone=viewer)
    expected = brute_minutes(start, end, people)
    assert minutes_of(found) == len(expected)
    assert all(found[i].end <= found[i + 1].start for i in range(len(found) - 1))
    for before, after in itertools.pairwise(found):
        if before.end == after.start:  # pieces touch only where what they say changes
            assert (before.best, before.shift) != (after.best, after.shift)
    hours = [(ZoneInfo(p.zone), _by_day(p.working_hours or DEFAULT_WORKING_HOURS)) for p in people]
    for slot in found:
        assert slot.start.utcoffset() == timedelta(0)
        assert slot.shift == _expected_shift(people, viewer, start, slot.start)
        assert slot.shift == _expected_shift(people, viewer, start, slot.end - MIN)
        t = slot.start
        while t < slot.end:
            assert all(covered(t, z, d) for z, d in hours) == slot.best
            t += 15 * MIN


def _expected_shift(people: Sequence[Person], viewer: str, start: datetime, at: datetime) -> timedelta:
    def relation(zone: str, t: datetime) -> timedelta:
        return (t.astimezone(ZoneInfo(viewer)).utcoffset() or timedelta(0)) - (
            t.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
        )

    moves = [relation(p.zone, at) - relation(p.zone, start) for p in people]
    return max(moves, key=abs)


@FAST
@given(
    around_a_change(7),
    st.sampled_from(ZONES),
    windows(8),
    st.sampled_from([15, 20, 30, 45, 60, 90]),
    st.sampled_from([15, 30, 60, 95]),
)
def test_it_offers_every_start_that_fits_on_the_local_step(
    span: tuple[datetime, datetime, str], zone: str, weekly: list[WeeklyWindow], step: int, length: int
) -> None:
    start, end, other = span
    found = mutual_slots([Person(other, tuple(weekly))], start, end, viewer_zone=zone)
    starts = start_times(found, length, zone, step)
    zi = ZoneInfo(zone)
    assert starts == sorted(set(starts))
    for t in starts:
        local = t.astimezone(zi)
        assert t.utcoffset() == timedelta(0)
        assert local.second == 0
        assert (local.hour * 60 + local.minute) % step == 0
        assert any(s.start <= t and t + length * MIN <= s.end for s in found)
    expected = set()
    for slot in found:
        t = slot.start
        while t + length * MIN <= slot.end:
            local = t.astimezone(zi)
            if (local.hour * 60 + local.minute) % step == 0:
                expected.add(t)
            t += MIN
    assert set(starts) == expected


def test_weekly_starts_keep_the_local_hour_across_clock_changes():
    london = weekly_starts(datetime(2026, 3, 16, 10, 0, tzinfo=UTC), "Europe/London", 1, 4)
    assert [s.hour for s in london] == [10, 10, 9, 9]  # 10:00 local, BST from 29 March
    sydney = weekly_starts(datetime(2026, 3, 23, 22, 0, tzinfo=UTC), "Australia/Sydney", 2, 2)
    assert [s.astimezone(ZoneInfo("Australia/Sydney")).hour for s in sydney] == [9, 9]
    assert sydney[1] - sydney[0] == timedelta(weeks=2, hours=1)  # DST ends 5 April
    # a first start at 02:30 Berlin, a week before the gap: the gap day reads 03:30
    berlin = weekly_starts(datetime(2026, 3, 22, 1, 30, tzinfo=UTC), "Europe/Berlin", 1, 2)
    assert berlin[1].astimezone(ZoneInfo("Europe/Berlin")).hour == 3
