"""iCalendar files for meetings: invitations by email (iTIP/iMIP, RFC 5546/6047) and the
private subscription feed (RFC 5545 + 7986). Pure: frozen dataclasses in, bytes out; no
Django, no clock (the caller passes DTSTAMP).

What the big clients need, and why each piece is here:

- ``METHOD`` on an emailed calendar (``REQUEST`` or ``CANCEL``) and none on a feed:
  Outlook and Gmail show accept buttons only for a method, and a feed with one confuses
  Apple Calendar.
- A ``VTIMEZONE`` for every ``TZID``, placed before the events (Outlook refuses a TZID it
  cannot resolve), written from the zone database around the dates the file uses, the way
  Apple and Google write theirs: a yearly ``RRULE`` for each run of clock changes that
  follows a rule ("last Sunday of March"), one ``RDATE`` per line for the others (Outlook
  misreads lists), and every onset in the local time before the change (``TZOFFSETFROM``,
  RFC 5545 3.6.5): 02:00 for Berlin's March change, not 03:00. icalendar's own writer
  does neither, and vobject and ical.js then read later meetings an hour off.
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

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
)

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
    """Add the VTIMEZONEs before the events, covering a year either side of everything the
    events use, so each one lists only the clock changes that matter."""
    if events:
        first, last = _span(events)
        since = dt.datetime(first.year - 1, 1, 1, tzinfo=dt.UTC)
        until = dt.datetime(last.year + 2, 1, 1, tzinfo=dt.UTC)
        for index, tzid in enumerate(sorted(calendar.get_used_tzids())):
            calendar.subcomponents.insert(index, vtimezone(tzid, since, until))
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


# ---------------------------------------------------------------- VTIMEZONE


@dataclass(frozen=True)
class Transition:
    """One clock change: at ``at`` (UTC) the offset goes from ``before`` to ``after``."""

    at: dt.datetime
    before: dt.timedelta
    after: dt.timedelta
    name: str
    daylight: bool

    @property
    def onset(self) -> dt.datetime:
        """When it happens on the clocks before it (naive): what DTSTART and RDATE hold."""
        return (self.at + self.before).replace(tzinfo=None)

    def kind(self) -> tuple[bool, dt.timedelta, dt.timedelta, str]:
        return (self.daylight, self.before, self.after, self.name)


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT part: its first onset, then either a yearly rule
    (``byday`` like ``-1SU`` in ``month``, ``until`` the last onset in UTC or open) or the
    further onsets one by one."""

    first: Transition
    month: int = 0
    byday: str = ""
    until: dt.datetime | None = None
    rdates: tuple[dt.datetime, ...] = ()


SCAN_STEP = dt.timedelta(hours=6)  # no zone changes its clocks twice in six hours
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the onset of a zone's only observance, as Google writes it
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def transitions(tzid: str, since: dt.datetime, until: dt.datetime) -> list[Transition]:
    """The clock changes of ``tzid`` between two UTC instants, found from its offsets (the
    zone database has no public list of them) to the second."""
    zone = zoneinfo.ZoneInfo(tzid)
    found: list[Transition] = []
    moment, offset = since, _offset(zone, since)
    while moment < until:
        later = min(moment + SCAN_STEP, until)
        if _offset(zone, later) != offset:
            low, high = moment, later  # offset(low) is the old one, offset(high) the new
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _offset(zone, middle) == offset else (low, middle)
            local = high.astimezone(zone)
            after = _offset(zone, high)
            found.append(Transition(high, offset, after, local.tzname() or tzid, bool(local.dst())))
            offset = after
        moment = later
    return found


def _offset(zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(zone).utcoffset() or dt.timedelta(0)


def _weekdays_of(onset: dt.datetime) -> set[str]:
    """The ways to name the onset's day in its month: ``2SU`` (second Sunday) and, in the
    month's last week, ``-1SU``."""
    day = DAYS[onset.weekday()]
    names = {f"{(onset.day - 1) // 7 + 1}{day}"}
    if (onset + dt.timedelta(days=7)).month != onset.month:
        names.add(f"-1{day}")
    return names


def observances(changes: Sequence[Transition], until: dt.datetime) -> list[Observance]:
    """The clock changes as observances: consecutive years of one kind of change (same
    offsets, name, month, weekday rule and local time) become a yearly rule, open-ended if
    it runs to ``until``; the changes that follow no rule are listed one by one."""
    runs: list[list[Transition]] = []
    for change in changes:
        run = next((r for r in runs if _continues(r, change)), None)
        if run is None:
            runs.append([change])
        else:
            run.append(change)
    found: list[Observance] = []
    loose: dict[tuple[bool, dt.timedelta, dt.timedelta, str], list[Transition]] = {}
    for run in runs:
        if len(run) < 2:
            loose.setdefault(run[0].kind(), []).append(run[0])
            continue
        byday = set.intersection(*(_weekdays_of(change.onset) for change in run))
        rule = sorted(byday, key=lambda name: name.startswith("-"))[-1]  # -1SU where it fits
        # Open if the next year's change would fall after the span the file covers.
        last = run[-1]
        open_ended = last.at + dt.timedelta(days=366) > until
        found.append(Observance(run[0], last.onset.month, rule, None if open_ended else last.at))
    for same in loose.values():
        found.append(Observance(same[0], rdates=tuple(change.onset for change in same[1:])))
    return sorted(found, key=lambda observance: observance.first.at)


def _continues(run: list[Transition], change: Transition) -> bool:
    last = run[-1]
    onset, previous = change.onset, last.onset
    return (
        change.kind() == last.kind()
        and onset.year == previous.year + 1
        and (onset.month, onset.time()) == (previous.month, previous.time())
        and bool(set.intersection(*(_weekdays_of(c.onset) for c in [*run, change])))
    )


def vtimezone(tzid: str, since: dt.datetime, until: dt.datetime) -> Timezone:
    """The VTIMEZONE of ``tzid`` for the UTC span [since, until): observances as above; a
    zone without changes there is one STANDARD at its offset."""
    component = Timezone()
    component.add("tzid", tzid)
    changes = transitions(tzid, since, until)
    if not changes:
        local = since.astimezone(zoneinfo.ZoneInfo(tzid))
        offset = local.utcoffset() or dt.timedelta(0)
        standing = Transition(EPOCH - offset, offset, offset, local.tzname() or tzid, False)
        component.add_component(_observance(Observance(standing)))
        return component
    for observance in observances(changes, until):
        component.add_component(_observance(observance))
    return component


def _observance(observance: Observance) -> TimezoneStandard | TimezoneDaylight:
    change = observance.first
    part = TimezoneDaylight() if change.daylight else TimezoneStandard()
    part.add("dtstart", change.onset)
    if observance.byday:
        rule: dict[str, object] = {"freq": "yearly", "bymonth": observance.month, "byday": observance.byday}
        if observance.until is not None:
            rule["until"] = observance.until
        part.add("rrule", rule)
    for onset in observance.rdates:
        part.add("rdate", onset)  # one property, one line each
    part.add("tzname", change.name)
    part.add("tzoffsetfrom", change.before)
    part.add("tzoffsetto", change.after)
    return part


def clean_text(text: str) -> str:
    """``text`` as an iCalendar TEXT value can hold it: every line break a LF (CRLF and a
    lone CR become one) and no other control character but tab (RFC 5545 forbids them;
    some clients stop reading at a NUL)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _naive(moment: dt.datetime) -> bool:
    return moment.tzinfo is None or moment.utcoffset() is None
