"""Weekly windows across time zones (no Django): the hours two people share in a week,
and one person's weekly windows read on another clock.

Windows are the profile's text, ``Mon 09:00-12:00; Wed 14:00-17:30``, on the owner's
clock. They are laid on a real week (``monday``, so clock changes count), moved to UTC,
intersected, and read back on the wanted clock; a window that crosses midnight there
splits into two days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from matching_engine import WEEKDAYS, Window, format_availability, merge_windows, parse_availability

Interval = tuple[dt.datetime, dt.datetime]


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def _utc(windows: Iterable[Window], zone: str, monday: dt.date) -> list[Interval]:
    """The windows on the weeks before, of and after ``monday`` (so a window that moves
    across the week's edge on another clock is kept), in UTC."""
    tz = ZoneInfo(zone)
    found = []
    for week in (-1, 0, 1):
        for w in windows:
            day = monday + dt.timedelta(days=7 * week + w.weekday)
            midnight = dt.datetime.combine(day, dt.time(), tz)
            start = (midnight + dt.timedelta(minutes=w.start)).replace(tzinfo=tz)
            end = (midnight + dt.timedelta(minutes=w.end)).replace(tzinfo=tz)
            found.append((start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    return sorted(found)


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if start < end:
                out.append((start, end))
    return sorted(out)


def _on_clock(intervals: Iterable[Interval], zone: str, monday: dt.date) -> tuple[Window, ...]:
    """UTC intervals as weekly windows of ``zone``'s week of ``monday``."""
    tz = ZoneInfo(zone)
    week_start = dt.datetime.combine(monday, dt.time(), tz)
    week_end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), tz)
    windows = []
    for start, end in intervals:
        local_start = max(start.astimezone(tz), week_start)
        local_end = min(end.astimezone(tz), week_end)
        while local_start < local_end:
            day_end = dt.datetime.combine(local_start.date() + dt.timedelta(days=1), dt.time(), tz)
            stop = min(local_end, day_end)
            begin = local_start.hour * 60 + local_start.minute
            finish = 1440 if stop == day_end else stop.hour * 60 + stop.minute
            if finish > begin:
                windows.append(Window(local_start.weekday(), begin, finish))
            local_start = stop
    return merge_windows(windows)


def shared_hours(people: Sequence[tuple[str, str]], zone: str, monday: dt.date) -> str:
    """The weekly hours every one of ``people`` (availability text, their zone) has free,
    as availability text on ``zone``'s clock; empty when they share none or one cannot be
    read (raises nothing: this only pre-fills a form)."""
    common: list[Interval] | None = None
    for text, own_zone in people:
        try:
            mine = _utc(parse_availability(text or ""), own_zone, monday)
        except ValueError:
            return ""
        common = mine if common is None else _intersect(common, mine)
    return format_availability(_on_clock(common or [], zone, monday))


def on_clock(text: str, from_zone: str, to_zone: str, monday: dt.date) -> list[str]:
    """Availability text of ``from_zone`` read on ``to_zone``'s clock, one ``Mon 09:00-12:00``
    per window (``[]`` when it cannot be read)."""
    try:
        windows = parse_availability(text or "")
    except ValueError:
        return []
    same = from_zone == to_zone
    moved = windows if same else _on_clock(_utc(windows, from_zone, monday), to_zone, monday)
    return [f"{WEEKDAYS[w.weekday]} {_clock(w.start)}–{_clock(w.end)}" for w in moved]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
