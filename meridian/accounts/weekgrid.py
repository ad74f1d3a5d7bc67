"""The week grid's arithmetic: weekly windows as half-hour cells and back, and moved
round the week by a zone's offset. Pure (no Django): the profile page draws it through
:mod:`meridian.accounts.weekgrid_display`, and the tests check it by properties.

The page shows weekly windows as a grid of half-hour cells. The text stays the truth:
it has 15-minute steps, so each cell keeps a mask of which of its two quarter hours
are free (bit 1 the first, bit 2 the second). A cell with one quarter free shows as
"partly available" and is written back exactly unless the person paints over it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence

from matching_engine import MINUTES_PER_DAY, SLOT_MINUTES, WEEKDAYS, Window, merge_windows

WEEK_TEXT_MAX = 6000  # characters of a weekly text, the form's limit
GRID_MINUTES = 30
QUARTERS = GRID_MINUTES // SLOT_MINUTES
CELLS_PER_DAY = MINUTES_PER_DAY // GRID_MINUTES
FULL = (1 << QUARTERS) - 1
DAY_STARTS, NIGHT_STARTS = 6 * 60, 22 * 60  # the hours shown before "show night hours"
WEEK = 7 * MINUTES_PER_DAY

Masks = tuple[tuple[int, ...], ...]


def grid_masks(windows: Iterable[Window]) -> Masks:
    """Per day, per half-hour cell: the bit mask of its free quarter hours."""
    masks = [[0] * CELLS_PER_DAY for _day in WEEKDAYS]
    for window in windows:
        for quarter in range(window.start // SLOT_MINUTES, window.end // SLOT_MINUTES):
            masks[window.weekday][quarter // QUARTERS] |= 1 << (quarter % QUARTERS)
    return tuple(tuple(day) for day in masks)


def windows_from_masks(masks: Sequence[Sequence[int]]) -> tuple[Window, ...]:
    """The windows a grid shows: free quarter hours joined into runs (what weekgrid.js writes)."""
    windows: list[Window] = []
    for day, cells in enumerate(masks):
        start: int | None = None
        quarters = [bool(cells[q // QUARTERS] >> (q % QUARTERS) & 1) for q in range(len(cells) * QUARTERS)]
        for quarter, free in enumerate([*quarters, False]):
            if free and start is None:
                start = quarter
            elif not free and start is not None:
                windows.append(Window(day, start * SLOT_MINUTES, quarter * SLOT_MINUTES))
                start = None
    return tuple(windows)


def shift_windows(windows: Iterable[Window], minutes: int) -> tuple[Window, ...]:
    """Windows moved ``minutes`` later round the week (to UTC: minus the zone's offset),
    split at midnight and wrapped at the week's end."""
    pieces: list[Window] = []
    for window in windows:
        at, left = (
            (window.weekday * MINUTES_PER_DAY + window.start + minutes) % WEEK,
            window.end - window.start,
        )
        while left:
            day, minute = divmod(at, MINUTES_PER_DAY)
            take = min(left, MINUTES_PER_DAY - minute)
            pieces.append(Window(day, minute, minute + take))
            at, left = (at + take) % WEEK, left - take
    return merge_windows(pieces)


def utc_offset(zone: str, now: dt.datetime | None = None) -> tuple[int, bool]:
    """The zone's offset from UTC now, in minutes, and whether its clocks change in the year."""
    tz = zoneinfo.ZoneInfo(zone)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(tz)
    offsets = {
        dt.datetime(now.year, month, 1, 12, tzinfo=tz).utcoffset() or dt.timedelta() for month in (1, 7)
    }
    return int((now.utcoffset() or dt.timedelta()).total_seconds() // 60), len(offsets) > 1


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{clock(abs(minutes))}"
