"""iCalendar files for meetings: invitations by email (iTIP/iMIP, RFC 5546/6047) and the
private subscription feed (RFC 5545 + 7986). Pure: frozen dataclasses in, bytes out; no
Django, no clock (the caller passes DTSTAMP).

What the big clients need, and why each piece is here:

- ``METHOD`` on an emailed calendar (``REQUEST`` or ``CANCEL``) and none on a feed:
  Outlook and Gmail show accept buttons only for a method, and a feed with one confuses
  Apple Calendar.
- A ``VTIMEZONE`` for every ``TZID``, placed before the events (Outlook refuses a TZID it
  cannot resolve), written from the zone database around the dates the file uses.
- ``DTSTART``/``DTEND`` in the organiser's zone, not UTC: a weekly series then keeps its
  local time across daylight-saving changes, as everyone who agreed to it expects.
- A series is one ``VEVENT`` with ``RRULE`` (the master), ``EXDATE`` for each cancelled
  occurrence and one more ``VEVENT`` per moved occurrence, with the same ``UID`` and a
  ``RECURRENCE-ID`` naming the original start. Cancelling one occurrence is a ``CANCEL``
  carrying just that ``RECURRENCE-ID``.
- ``SEQUENCE`` must grow with every change that is sent: clients ignore an update whose
  sequence is not higher than the copy they hold.
- The feed carries no ``ORGANIZER``/``ATTENDEE``/``VALARM``: a subscribed calendar is
  read-only, and attendees there make some clients offer replies that go nowhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from icalendar import Alarm, Calendar, Event, vCalAddress, vDuration

PRODID = "-//Meridian//Meridian mentoring//EN"
ALARM_BEFORE = dt.timedelta(minutes=15)
REFRESH = dt.timedelta(hours=1)
STATUSES = ("CONFIRMED", "CANCELLED")


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class Recurrence:
    """Every ``every_weeks`` weeks, ``count`` times from the event's start; ``exdates`` are
    the original starts of the occurrences that will not happen."""

    every_weeks: int
    count: int
    exdates: tuple[dt.datetime, ...] = ()

    def __post_init__(self) -> None:
        if self.every_weeks < 1 or self.count < 1:
            raise ValueError("A series repeats every 1 or more weeks, 1 or more times.")
        if any(_naive(moment) for moment in self.exdates):
            raise ValueError("Excluded dates must be time-zone aware.")


@dataclass(frozen=True)
class EventSpec:
    """One VEVENT. ``zone`` is the IANA zone the times are written in (the organiser's);
    ``recurrence`` makes it a series master, ``recurrence_id`` an override of one
    occurrence of the series with the same ``uid``."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    zone: str
    summary: str
    description: str
    location: str
    url: str
    organizer: Attendee
    attendees: tuple[Attendee, ...]
    stamp: dt.datetime
    status: str = "CONFIRMED"
    recurrence: Recurrence | None = None
    recurrence_id: dt.datetime | None = None

    def __post_init__(self) -> None:
        moments = (self.start, self.end, self.stamp, self.recurrence_id)
        if any(moment is not None and _naive(moment) for moment in moments):
            raise ValueError("Event times must be time-zone aware.")
        if self.end <= self.start:
            raise ValueError("An event must end after it starts.")
        if self.status not in STATUSES:
            raise ValueError(f"Status must be one of {STATUSES}.")
        if self.sequence < 0:
            raise ValueError("SEQUENCE cannot be negative.")
        if self.recurrence is not None and self.recurrence_id is not None:
            raise ValueError("An event is a series master or an override of one occurrence, not both.")
        zoneinfo.ZoneInfo(self.zone)  # raises for a zone name the database does not know


def invitation(events: Sequence[EventSpec], method: Literal["REQUEST", "CANCEL"]) -> bytes:
    """An emailed invitation (``REQUEST``) or cancellation (``CANCEL``): one VCALENDAR with
    ``events``, which all share one UID (a single meeting, or a series master and its
    overrides). ``CANCEL`` marks every event cancelled and carries no alarm."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("The method is REQUEST or CANCEL.")
    if not events:
        raise ValueError("An invitation needs at least one event.")
    if len({event.uid for event in events}) != 1:
        raise ValueError("One invitation carries one UID (a meeting, or a series and its overrides).")
    calendar = _calendar()
    calendar.add("method", method)
    for spec in events:
        event = _event(spec, status="CANCELLED" if method == "CANCEL" else spec.status)
        _add_people(event, spec, rsvp=method == "REQUEST")
        if method == "REQUEST":
            event.add_component(_alarm(spec.summary))
        calendar.add_component(event)
    return _finish(calendar, events)


def feed(events: Sequence[EventSpec], *, name: str, stamp: dt.datetime) -> bytes:
    """A subscription feed: every event as it stands now, no METHOD, refreshed hourly."""
    if _naive(stamp):
        raise ValueError("The feed's stamp must be time-zone aware.")
    calendar = _calendar()
    calendar.add("name", clean_text(name))
    calendar.add("x-wr-calname", clean_text(name))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    calendar.add("last-modified", stamp.astimezone(dt.UTC))
    for spec in events:
        calendar.add_component(_event(spec, status=spec.status))
    return _finish(calendar, events)


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _event(spec: EventSpec, *, status: str) -> Event:
    zone = zoneinfo.ZoneInfo(spec.zone)
    event = Event()
    event.add("uid", spec.uid)
    event.add("sequence", spec.sequence)
    event.add("dtstamp", spec.stamp.astimezone(dt.UTC))
    if spec.recurrence_id is not None:
        event.add("recurrence-id", spec.recurrence_id.astimezone(zone))
    event.add("dtstart", spec.start.astimezone(zone))
    event.add("dtend", spec.end.astimezone(zone))
    if spec.recurrence is not None:
        rule = spec.recurrence
        event.add("rrule", {"freq": "weekly", "interval": rule.every_weeks, "count": rule.count})
        if rule.exdates:
            event.add("exdate", sorted(moment.astimezone(zone) for moment in rule.exdates))
    event.add("status", status)
    event.add("summary", clean_text(spec.summary))
    if spec.description:
        event.add("description", clean_text(spec.description))
    if spec.location:
        event.add("location", clean_text(spec.location))
    if spec.url:
        event.add("url", clean_text(spec.url))
    event.add("transp", "OPAQUE")
    return event


def _add_people(event: Event, spec: EventSpec, *, rsvp: bool) -> None:
    organizer = vCalAddress(f"mailto:{spec.organizer.email}")
    organizer.params["CN"] = _common_name(spec.organizer.name)
    event.add("organizer", organizer)
    for person in spec.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = _common_name(person.name)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        if rsvp:
            attendee.params["PARTSTAT"] = "NEEDS-ACTION"
            attendee.params["RSVP"] = "TRUE"
        event.add("attendee", attendee)


def _common_name(name: str) -> str:
    """A name as a parameter value: one line, and no double quote, which RFC 6868 would
    write as ``^'`` and Outlook would show as it is."""
    return " ".join(clean_text(name).replace('"', "'").split())


def _alarm(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", clean_text(summary))
    alarm.add("trigger", -ALARM_BEFORE)
    return alarm


def _finish(calendar: Calendar, events: Sequence[EventSpec]) -> bytes:
    """Add the VTIMEZONEs, covering a year either side of everything the events use, so
    each one lists only the transitions that matter (a short file Outlook reads)."""
    if events:
        first, last = _span(events)
        calendar.add_missing_timezones(
            first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 2, 1, 1)
        )
    data: bytes = calendar.to_ical()
    return data


def _span(events: Sequence[EventSpec]) -> tuple[dt.datetime, dt.datetime]:
    moments: list[dt.datetime] = []
    for spec in events:
        moments += [spec.start, spec.end]
        if spec.recurrence_id is not None:
            moments.append(spec.recurrence_id)
        if spec.recurrence is not None:
            # The last occurrence ends (count - 1) periods after the first one.
            period = dt.timedelta(weeks=spec.recurrence.every_weeks * (spec.recurrence.count - 1))
            moments += [spec.end + period, *spec.recurrence.exdates]
    return min(moments), max(moments)


def clean_text(text: str) -> str:
    """``text`` as an iCalendar TEXT value can hold it: every line break a LF (CRLF and a
    lone CR become one) and no other control character but tab (RFC 5545 forbids them;
    some clients stop reading at a NUL)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _naive(moment: dt.datetime) -> bool:
    return moment.tzinfo is None or moment.utcoffset() is None
