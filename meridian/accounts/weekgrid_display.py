"""What ``accounts/_week_grid.html`` draws for one weekly text: rows of half-hour cells in
the person's zone, each labelled for screen readers, the caption naming the zone, and
the sentences ``weekgrid.js`` writes (translated here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from matching_engine import (
    SLOT_MINUTES,
    WEEKDAYS,
    AvailabilityError,
    format_availability,
    parse_availability,
    weekly_minutes,
)
from meridian.accounts.weekgrid import (
    CELLS_PER_DAY,
    DAY_STARTS,
    FULL,
    GRID_MINUTES,
    NIGHT_STARTS,
    QUARTERS,
    WEEK_TEXT_MAX,
    clock,
    grid_masks,
    offset_text,
    shift_windows,
    utc_offset,
)

DAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


@dataclass(frozen=True)
class GridCell:
    day: int
    start: int
    mask: int

    @property
    def state(self) -> str:
        return "free" if self.mask == FULL else "part" if self.mask else ""

    @property
    def label(self) -> str:
        """What a screen reader says: "Tuesday 09:30 to 10:00, available"."""
        if self.mask == FULL:
            state = gettext("available")
        elif not self.mask:
            state = gettext("not available")
        else:
            free = [q for q in range(QUARTERS) if self.mask >> q & 1]
            first, last = free[0], free[-1] + 1
            start, end = self.start + first * SLOT_MINUTES, self.start + last * SLOT_MINUTES
            state = gettext("partly available ({start} to {end})").format(start=clock(start), end=clock(end))
        return gettext("{day} {start} to {end}, {state}").format(
            day=DAY_NAMES[self.day],
            start=clock(self.start),
            end=clock(self.start + GRID_MINUTES),
            state=state,
        )


@dataclass(frozen=True)
class GridRow:
    start: int
    cells: tuple[GridCell, ...]

    @property
    def time(self) -> str:
        return clock(self.start)

    @property
    def night(self) -> bool:
        return not DAY_STARTS <= self.start < NIGHT_STARTS


@dataclass(frozen=True)
class WeekGrid:
    """Everything ``accounts/_week_grid.html`` draws for one text field."""

    field: str
    zone: str
    offset: int
    clocks_change: bool
    rows: tuple[GridRow, ...] = ()
    error: str = ""
    quarter_days: tuple[str, ...] = ()
    minutes: int = 0
    utc: str = ""
    default: bool = False

    @property
    def caption(self) -> str:
        offset = offset_text(self.offset)
        if self.clocks_change:
            offset = gettext("now %s") % offset
        return gettext("Times are in %(zone)s (%(offset)s)") % {
            "zone": self.zone.replace("_", " "),
            "offset": offset,
        }

    @property
    def hours(self) -> str:
        if not self.minutes:
            return gettext("No times marked yet.")
        whole = self.minutes // 60 if self.minutes % 60 == 0 else 2  # "1.5 hours": plural
        return ngettext("{n} hour a week", "{n} hours a week", whole).format(n=f"{self.minutes / 60:g}")

    @property
    def name(self) -> str:
        return str(_("Working hours") if self.field == "working_hours" else _("When you can meet"))

    @property
    def show_night(self) -> bool:
        return any(cell.mask for row in self.rows if row.night for cell in row.cells)

    @property
    def days(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(WEEKDAYS, (str(name) for name in DAY_NAMES), strict=True))


def grid_texts() -> dict[str, Any]:
    """Every sentence weekgrid.js writes, translated here (json_script hands them over)."""
    return {
        "days": [str(name) for name in DAY_NAMES],
        "cell": gettext("{day} {start} to {end}, {state}"),
        "available": gettext("available"),
        "unavailable": gettext("not available"),
        "partly": gettext("partly available ({start} to {end})"),
        "hour": ngettext("{n} hour a week", "{n} hours a week", 1),
        "hours": ngettext("{n} hour a week", "{n} hours a week", 2),
        "none": gettext("No times marked yet."),
        "utc": gettext("That is {windows} in UTC."),
    }


def week_grid(*, field: str, text: str, zone: str, default: str = "") -> WeekGrid:
    """The grid for ``text`` in ``zone``; when the text does not parse, no cells and the reason.
    ``default`` is what an empty text means (working hours), drawn until the person paints."""
    offset, clocks_change = utc_offset(zone)
    empty = WeekGrid(field=field, zone=zone, offset=offset, clocks_change=clocks_change)
    if len(text) > WEEK_TEXT_MAX:
        return replace(empty, error=gettext("The text is too long to draw."))
    try:
        windows = parse_availability(text.strip() or default)
    except AvailabilityError as error:
        return replace(empty, error=str(error))
    masks = grid_masks(windows)
    rows = tuple(
        GridRow(
            index * GRID_MINUTES,
            tuple(GridCell(day, index * GRID_MINUTES, masks[day][index]) for day in range(7)),
        )
        for index in range(CELLS_PER_DAY)
    )
    quarter_days = tuple(
        WEEKDAYS[day] for day, cells in enumerate(masks) if any(m not in (0, FULL) for m in cells)
    )
    utc = format_availability(shift_windows(windows, -offset)) if offset else ""
    return replace(
        empty,
        rows=rows,
        quarter_days=quarter_days,
        minutes=weekly_minutes(windows),
        utc=utc,
        default=bool(default) and not text.strip(),
    )
