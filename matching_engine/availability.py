"""The one parser of the weekly availability text, ``Mon 09:00-12:00; Wed 14:00-17:30``.

Matching and scheduling both read availability through this module, so the
participant file, the profile form and the API accept exactly the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from matching_engine.model import MINUTES_PER_DAY, SLOT_MINUTES, WEEKDAYS, Window

_EXAMPLE = "Mon 09:00-12:00"
_WINDOW = re.compile(r"(\S+)\s+([0-9]{2}):([0-9]{2})\s*-\s*([0-9]{2}):([0-9]{2})")
_DAY_NUMBERS = {day.lower(): number for number, day in enumerate(WEEKDAYS)}


class AvailabilityError(ValueError):
    """The availability text is not a list of weekly windows; the message says why."""


def parse_availability(text: str) -> tuple[Window, ...]:
    """Parse ``Mon 09:00-12:00; Wed 14:00-17:30`` into sorted, merged windows.

    Days are Mon..Sun (any case), times 24-hour ``HH:MM`` on 15-minute steps,
    and a window may end at 24:00. Overlapping or touching windows of the same
    day are merged; empty text gives ``()``. Every bad part is named in the
    :class:`AvailabilityError` raised.
    """
    windows: list[Window] = []
    problems: list[str] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        try:
            windows.append(_parse_window(part))
        except AvailabilityError as exc:
            problems.append(str(exc))
    if problems:
        raise AvailabilityError("; ".join(problems))
    return merge_windows(windows)


def format_availability(windows: Iterable[Window]) -> str:
    """Write windows as canonical text; ``parse_availability`` reads it back.

    The windows are written in the order given: pass merged windows (what
    ``parse_availability`` returns) to get the canonical form.
    """
    return "; ".join(f"{WEEKDAYS[w.weekday]} {_clock(w.start)}-{_clock(w.end)}" for w in windows)


def merge_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """Sort windows and merge those of the same day that overlap or touch."""
    merged: list[Window] = []
    for window in sorted(windows):
        last = merged[-1] if merged else None
        if last and last.weekday == window.weekday and window.start <= last.end:
            merged[-1] = Window(last.weekday, last.start, max(last.end, window.end))
        else:
            merged.append(window)
    return tuple(merged)


def weekly_minutes(windows: Iterable[Window]) -> int:
    """Minutes available in a week; overlapping windows are counted once."""
    return sum(w.end - w.start for w in merge_windows(windows))


def _parse_window(part: str) -> Window:
    match = _WINDOW.fullmatch(part)
    if match is None:
        raise AvailabilityError(f'"{part}": expected a window like "{_EXAMPLE}"')
    day, start_h, start_m, end_h, end_m = match.groups()
    weekday = _DAY_NUMBERS.get(day.lower())
    if weekday is None:
        days = ", ".join(WEEKDAYS)
        raise AvailabilityError(f'"{part}": unknown day "{day}" (use one of {days})')
    start = _minutes(part, start_h, start_m)
    end = _minutes(part, end_h, end_m)
    if end <= start:
        raise AvailabilityError(f'"{part}": end {_clock(end)} is not after start {_clock(start)}')
    return Window(weekday, start, end)


def _minutes(part: str, hours: str, minutes: str) -> int:
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise AvailabilityError(f'"{part}": {hours}:{minutes} is not a time between 00:00 and 24:00')
    if value % SLOT_MINUTES:
        raise AvailabilityError(f'"{part}": times must be on 15-minute steps')
    return value


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
