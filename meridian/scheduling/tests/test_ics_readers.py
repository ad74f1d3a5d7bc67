"""Our calendar files read by two readers that share no code with icalendar or with each
other, vobject and dateutil's ``tzical``, each using only the VTIMEZONE we wrote (never
the zone database) to place each meeting: every one after a clock change must land at the
UTC instant we meant, in a northern zone with a European rule, one with a US rule, a
southern one and one without daylight saving. Also the shape RFC 5545 asks of the
VTIMEZONE: yearly rules, one RDATE per line, onsets in the time before the change."""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
import vobject
from dateutil import rrule, tz
from django.test import Client, TestCase
from django.urls import reverse

from meridian.scheduling import ics, invitations
from meridian.scheduling.models import CalendarFeed, Channel, Meeting, MeetingStatus, Series
from meridian.scheduling.tests.test_ics import spec
from tests.factories import mentoring_pair

UTC = dt.UTC
STAMP = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata")
# Weekly from 23 Feb 2026 for 8 weeks: past New York's change (8 Mar), Berlin's (29 Mar)
# and Sydney's (5 Apr, clocks back); at 09:00, and one at 03:30, an hour that exists on
# both sides of each change and that a wrong onset shifts.
SERIES_START, WEEKS = dt.datetime(2026, 2, 23, 9, 0), 8
SINGLES = (
    dt.datetime(2026, 3, 29, 3, 30),  # Berlin's change day, after the change
    dt.datetime(2026, 4, 13, 3, 30),
    dt.datetime(2027, 4, 5, 9, 0),  # a year later: the second change of the file
)


def instants(zone: str, local: list[dt.datetime]) -> list[dt.datetime]:
    tzinfo = zoneinfo.ZoneInfo(zone)
    return sorted(moment.replace(tzinfo=tzinfo).astimezone(UTC) for moment in local)


def meant(zone: str) -> list[dt.datetime]:
    weekly = [SERIES_START + dt.timedelta(weeks=n) for n in range(WEEKS)]
    return instants(zone, [*weekly, *SINGLES])


# ---------------------------------------------------------------- the two readers


def by_vobject(text: str) -> list[dt.datetime]:
    calendar = vobject.readOne(text)
    found: list[dt.datetime] = []
    for event in calendar.vevent_list:
        if hasattr(event, "rrule"):
            found += list(event.getrruleset(addRDate=True))
        else:
            found.append(event.dtstart.value)
    return sorted(moment.astimezone(UTC) for moment in found)


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").replace("\r\n\t", "").splitlines()


def by_tzical(text: str) -> list[dt.datetime]:
    """dateutil's VTIMEZONE reader for the zones; DTSTART and RRULE read by hand."""
    zones = tz.tzical(io.StringIO(text))
    found: list[dt.datetime] = []
    events = re.findall(r"BEGIN:VEVENT\n(.*?)END:VEVENT", "\n".join(unfolded(text)), re.S)
    assert events
    for event in events:
        (start,) = re.findall(r"^DTSTART;TZID=([^:]+):(\d{8}T\d{6})$", event, re.M)
        local = dt.datetime.strptime(start[1], "%Y%m%dT%H%M%S").replace(tzinfo=zones.get(start[0]))
        rules = re.findall(r"^RRULE:(.*)$", event, re.M)
        found += list(rrule.rrulestr(rules[0], dtstart=local)) if rules else [local]
    return sorted(moment.astimezone(UTC) for moment in found)


READERS = pytest.mark.parametrize("read", [by_vobject, by_tzical], ids=["vobject", "tzical"])


def vtimezone_lines(text: str) -> list[str]:
    lines = unfolded(text)
    return lines[lines.index("BEGIN:VTIMEZONE") : lines.index("END:VTIMEZONE") + 1]


# ---------------------------------------------------------------- pure files


def specs(zone: str) -> list[ics.EventSpec]:
    tzinfo = zoneinfo.ZoneInfo(zone)
    master = spec(
        SERIES_START.replace(tzinfo=tzinfo),
        uid="series@meridian",
        recurrence=ics.Recurrence(every_weeks=1, count=WEEKS),
        stamp=STAMP,
    )
    singles = [
        spec(local.replace(tzinfo=tzinfo), uid=f"single-{n}@meridian", stamp=STAMP)
        for n, local in enumerate(SINGLES)
    ]
    return [master, *singles]


@READERS
@pytest.mark.parametrize("zone", ZONES)
def test_the_feed_places_every_meeting_after_a_clock_change_where_it_was_meant(zone, read):
    text = ics.feed(specs(zone), name="Meetings", stamp=STAMP).decode()
    assert read(text) == meant(zone)


@READERS
@pytest.mark.parametrize("zone", ZONES)
def test_an_invitation_places_its_series_where_it_was_meant(zone, read):
    master, *_ = specs(zone)
    text = ics.invitation([master], "REQUEST").decode()
    weekly = [SERIES_START + dt.timedelta(weeks=n) for n in range(WEEKS)]
    assert read(text) == instants(zone, weekly)


def test_berlin_is_two_yearly_rules_with_onsets_in_the_time_before_the_change():
    text = ics.feed(specs("Europe/Berlin"), name="Meetings", stamp=STAMP).decode()
    lines = vtimezone_lines(text)
    daylight = lines[lines.index("BEGIN:DAYLIGHT") : lines.index("END:DAYLIGHT")]
    standard = lines[lines.index("BEGIN:STANDARD") : lines.index("END:STANDARD")]
    assert "DTSTART:20250330T020000" in daylight  # 01:00 UTC is 02:00 in TZOFFSETFROM (+01)
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in daylight
    assert "DTSTART:20251026T030000" in standard  # 01:00 UTC is 03:00 in TZOFFSETFROM (+02)
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in standard
    assert not [line for line in lines if line.startswith("RDATE")]


@pytest.mark.parametrize(
    ("zone", "rules"),
    [
        ("America/New_York", {"BYDAY=2SU;BYMONTH=3", "BYDAY=1SU;BYMONTH=11"}),
        ("Australia/Sydney", {"BYDAY=1SU;BYMONTH=4", "BYDAY=1SU;BYMONTH=10"}),
        ("Asia/Kolkata", set()),
    ],
)
def test_each_zone_has_the_rules_it_follows(zone, rules):
    lines = vtimezone_lines(ics.feed(specs(zone), name="Meetings", stamp=STAMP).decode())
    written = {line.removeprefix("RRULE:FREQ=YEARLY;") for line in lines if line.startswith("RRULE")}
    assert written == rules
    if not rules:  # one observance at the zone's only offset
        assert lines.count("BEGIN:STANDARD") == 1
        assert "TZOFFSETTO:+0530" in lines


def test_changes_that_follow_no_rule_are_one_rdate_per_line():
    # Casablanca's clocks go back for Ramadan, on a different Sunday each year.
    since, until = dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC)
    text = ics.vtimezone("Africa/Casablanca", since, until).to_ical().decode()
    rdates = [line for line in unfolded(text) if line.startswith("RDATE")]
    assert rdates
    assert all("," not in line for line in rdates)
    assert "RRULE" not in text
    zone = zoneinfo.ZoneInfo("Africa/Casablanca")
    changes = ics.transitions("Africa/Casablanca", since, until)
    assert len(changes) == 1 + len(rdates) + 1  # each kind's first onset is its DTSTART
    for change in changes:
        assert change.onset == (change.at + change.before).replace(tzinfo=None)
        assert (change.at - dt.timedelta(seconds=1)).astimezone(zone).utcoffset() == change.before
        assert change.at.astimezone(zone).utcoffset() == change.after


def test_a_rule_that_ended_carries_its_last_change_as_until():
    # Sao Paulo stopped daylight saving after February 2019.
    since, until = dt.datetime(2016, 1, 1, tzinfo=UTC), dt.datetime(2021, 1, 1, tzinfo=UTC)
    text = ics.vtimezone("America/Sao_Paulo", since, until).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;UNTIL=20190217T020000Z;BYDAY=3SU;BYMONTH=2" in unfolded(text)
    when = dt.datetime(2020, 1, 6, 9)  # no daylight saving in 2020
    zones = tz.tzical(io.StringIO("BEGIN:VCALENDAR\r\n" + text + "END:VCALENDAR\r\n"))
    assert when.replace(tzinfo=zones.get("America/Sao_Paulo")).utcoffset() == dt.timedelta(hours=-3)


# ---------------------------------------------------------------- what the site sends


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ZONES)
def test_the_site_feed_and_invitation_emails_read_the_same_in_both_readers(zone, settings, smtp_server):
    settings.SITE_URL = "https://meridian.example.org"
    tzinfo = zoneinfo.ZoneInfo(zone)
    with time_machine.travel(dt.datetime(2026, 2, 20, 8, tzinfo=UTC), tick=False):
        pair = mentoring_pair(
            mentor_fields={"email": "ana@example.org", "time_zone": zone},
            mentee_fields={"email": "ben@example.org", "time_zone": "Asia/Kathmandu"},
        )
        mentor = pair.members.get(role="mentor").user
        first = SERIES_START.replace(tzinfo=tzinfo)
        series = Series.objects.create(
            mentorship=pair, every_weeks=1, count=WEEKS, zone=zone, first_start=first
        )
        weekly = [SERIES_START + dt.timedelta(weeks=n) for n in range(WEEKS)]
        rows = [
            Meeting.objects.create(
                mentorship=pair,
                series=series,
                starts_at=local.replace(tzinfo=tzinfo),
                recurrence_id=local.replace(tzinfo=tzinfo),
                status=MeetingStatus.SCHEDULED,
                minutes=45,
                proposed_by=mentor,
                channel=Channel.PHONE,
            )
            for local in weekly
        ]
        for local in SINGLES:
            Meeting.objects.create(
                mentorship=pair,
                starts_at=local.replace(tzinfo=tzinfo),
                status=MeetingStatus.SCHEDULED,
                minutes=45,
                proposed_by=mentor,
                channel=Channel.PHONE,
            )
        with TestCase.captureOnCommitCallbacks(execute=True):
            invitations.notify(rows[0], "REQUEST", whole_series=True)
        feed = CalendarFeed.objects.create(user=mentor)
        response = Client().get(reverse("scheduling:feed_ics", args=[feed.token]))
    assert response.status_code == 200
    for read in (by_vobject, by_tzical):
        assert read(response.content.decode()) == meant(zone), read.__name__
        for message in smtp_server.messages():
            assert read(_calendar_text(message)) == instants(zone, weekly), (read.__name__, message["To"])


def _calendar_text(message: EmailMessage) -> str:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    text: Any = part.get_content()
    return str(text)
