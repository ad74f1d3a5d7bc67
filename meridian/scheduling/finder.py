"""Mutual times of a mentorship's members for the next weeks, read from their profiles and
laid out for one viewer: each slot in the viewer's time and in everyone else's, the best
hours (inside everyone's working hours) marked, clock changes named."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from matching_engine import AvailabilityError
from meridian.scheduling import slots
from meridian.scheduling.models import Meeting, MeetingStatus

MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 1, 8, 2
MIN_MINUTES, MAX_MINUTES = 15, 240  # a meeting's length, as services allows it
STARTS_PER_SLOT = 6


@dataclass(frozen=True)
class Local:
    """One person's reading of a slot."""

    name: str
    zone: str
    start: dt.datetime  # aware, in ``zone``
    end: dt.datetime


@dataclass(frozen=True)
class SlotView:
    start: dt.datetime  # aware UTC
    end: dt.datetime
    best: bool
    shift_minutes: int  # how far it moved in the viewer's time because a clock changed
    mine: Local
    theirs: tuple[Local, ...]
    starts: tuple[dt.datetime, ...]  # meeting starts offered in this slot (UTC)

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Day:
    date: dt.date  # in the viewer's zone
    slots: tuple[SlotView, ...]


@dataclass(frozen=True)
class ClockChangeView:
    """A clock change in the weeks searched, for the people whose zone it is."""

    zone: str
    at: dt.datetime
    minutes: int  # + when that zone's clocks go forward
    whose: tuple[str, ...]


@dataclass
class Mutual:
    weeks: int
    start: dt.datetime
    end: dt.datetime
    days: list[Day] = field(default_factory=list)
    changes: list[ClockChangeView] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # people whose availability could not be read
    empty: list[str] = field(default_factory=list)  # people who have not said when they can meet

    @property
    def slot_count(self) -> int:
        return sum(len(d.slots) for d in self.days)

    @property
    def best_hours(self) -> float:
        return sum(s.hours for d in self.days for s in d.slots if s.best)

    @property
    def hours(self) -> float:
        return sum(s.hours for d in self.days for s in d.slots)


def _windows(text: str) -> tuple[tuple[slots.WeeklyWindow, ...], bool]:
    try:
        return tuple(slots.windows_from_text(text or "")), True
    except AvailabilityError:
        return (), False


def _start_of_search(now: dt.datetime) -> dt.datetime:
    """The next quarter hour, in UTC."""
    now = now.astimezone(dt.UTC).replace(second=0, microsecond=0)
    return now + dt.timedelta(minutes=(-now.minute) % 15 or 15)


def mutual(
    people: Sequence[Any],
    viewer: Any,
    *,
    weeks: int,
    minutes: int,
    now: dt.datetime | None = None,
    busy: Sequence[slots.Interval] = (),
) -> Mutual:
    """``people`` are users (with ``profile``); ``viewer`` is one of them. Starts that
    would clash with a ``busy`` interval (anyone's meetings already booked) are left out."""
    weeks = max(MIN_WEEKS, min(MAX_WEEKS, weeks))
    start = _start_of_search(now or timezone.now())
    end = start + dt.timedelta(weeks=weeks)
    result = Mutual(weeks=weeks, start=start, end=end)
    persons = []
    for user in people:
        profile = user.profile
        availability, readable = _windows(profile.availability)
        working, _ = _windows(profile.working_hours)
        if not readable:
            result.unreadable.append(user.name)
        elif not availability:
            result.empty.append(user.name)
        persons.append(
            slots.Person(
                zone=user.time_zone, availability=availability, working_hours=working, name=user.name
            )
        )
    if result.unreadable or result.empty:
        return result
    found = slots.mutual_slots(persons, start, end, viewer_zone=viewer.time_zone, minutes=minutes)
    mine_zone = zoneinfo.ZoneInfo(viewer.time_zone)
    others = [u for u in people if u.pk != viewer.pk]
    by_day: dict[dt.date, list[SlotView]] = {}
    for slot in found:
        view = SlotView(
            start=slot.start,
            end=slot.end,
            best=slot.best,
            shift_minutes=int(slot.shift.total_seconds() // 60),
            mine=_local(viewer, slot),
            theirs=tuple(_local(u, slot) for u in others),
            starts=tuple(
                _free(slots.start_times([slot], minutes, viewer.time_zone), minutes, busy)[:STARTS_PER_SLOT]
            ),
        )
        by_day.setdefault(slot.start.astimezone(mine_zone).date(), []).append(view)
    result.days = [Day(date, tuple(rows)) for date, rows in sorted(by_day.items())]
    names: dict[str, list[str]] = {}
    for user in people:
        names.setdefault(user.time_zone, []).append("you" if user.pk == viewer.pk else user.name)
    for change in slots.clock_changes(names, start, end):
        result.changes.append(
            ClockChangeView(
                zone=change.zone,
                at=change.at,
                minutes=int((change.after - change.before).total_seconds() // 60),
                whose=tuple(names[change.zone]),
            )
        )
    return result


def _free(starts: list[dt.datetime], minutes: int, busy: Sequence[slots.Interval]) -> list[dt.datetime]:
    length = dt.timedelta(minutes=minutes)
    return [s for s in starts if not any(b0 < s + length and s < b1 for b0, b1 in busy)]


def busy_times(people: Sequence[Any], start: dt.datetime, end: dt.datetime) -> list[slots.Interval]:
    """The booked meetings of any of ``people`` (in any of their mentorships) in the range."""
    rows = (
        Meeting.objects.filter(
            mentorship__members__user__in=[p.pk for p in people],
            mentorship__members__is_current=True,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=start - dt.timedelta(hours=4),
            starts_at__lt=end,
        )
        .values_list("starts_at", "minutes")
        .distinct()
    )
    return [(s, s + dt.timedelta(minutes=m)) for s, m in rows if s is not None]


def for_members(people: Sequence[Any], viewer: Any, *, weeks: int, minutes: int) -> Mutual:
    """What the meetings page and the API show: ``mutual`` from now, leaving out the
    starts that clash with a meeting any of ``people`` has already booked."""
    now = timezone.now()
    busy = busy_times(people, now, now + dt.timedelta(weeks=MAX_WEEKS + 1))
    return mutual(
        people, viewer, weeks=weeks, minutes=max(MIN_MINUTES, min(MAX_MINUTES, minutes)), now=now, busy=busy
    )


def _local(user: Any, slot: slots.Slot) -> Local:
    zone = zoneinfo.ZoneInfo(user.time_zone)
    return Local(user.name, user.time_zone, slot.start.astimezone(zone), slot.end.astimezone(zone))


@dataclass(frozen=True)
class OffHours:
    """A start that falls outside someone's working hours, on their clock."""

    name: str
    zone: str
    start: dt.datetime  # aware, in ``zone``

    @property
    def text(self) -> str:
        city = self.zone.rsplit("/", 1)[-1].replace("_", " ")
        return f"{self.start:%H:%M} for {self.name} ({city} time), outside their working hours."


def off_hours(people: Sequence[Any], viewer: Any, start: dt.datetime, minutes: int) -> list[OffHours]:
    """The others among ``people`` for whom a meeting from ``start`` (aware) lasting
    ``minutes`` is not wholly inside their working hours (Mon-Fri 09:00-17:00 when they
    have not said)."""
    end = start + dt.timedelta(minutes=minutes)
    found = []
    for user in people:
        if user.pk == viewer.pk:
            continue
        zone = zoneinfo.ZoneInfo(user.time_zone)
        working = _windows(user.profile.working_hours)[0] or slots.DEFAULT_WORKING_HOURS
        day = start.astimezone(zone).date()
        hours = slots.expand(working, zone, day - dt.timedelta(days=1), day + dt.timedelta(days=2))
        if not any(a <= start and end <= b for a, b in hours):
            found.append(OffHours(user.get_short_name() or user.name, user.time_zone, start.astimezone(zone)))
    return found
