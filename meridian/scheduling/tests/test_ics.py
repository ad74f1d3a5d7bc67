"""Our iCalendar files, read back by a different reader (recurring_ical_events on top of
icalendar's parser) and compared with what we meant: the occurrences, their local and
UTC times, and every text as it was written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from meridian.scheduling import ics

LONDON = ZoneInfo("Europe/London")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
UTC = dt.UTC
STAMP = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
ORGANIZER = ics.Attendee("Meridian", "meridian@example.org")
PEOPLE = (ics.Attendee("Ana Ruiz", "ana@example.org"), ics.Attendee("Ben Okafor", "ben@example.org"))
EVER = (dt.datetime(2000, 1, 1, tzinfo=UTC), dt.datetime(2040, 1, 1, tzinfo=UTC))


def spec(start: dt.datetime, **fields: Any) -> ics.EventSpec:
    values: dict[str, Any] = {
        "uid": "meeting-1@meridian",
        "sequence": 0,
        "start": start,
        "end": start + dt.timedelta(minutes=45),
        "zone": str(start.tzinfo),
        "summary": "Mentoring session with Ana Ruiz",
        "description": "Video call: https://meet.jit.si/abc",
        "location": "https://meet.jit.si/abc",
        "url": "https://meridian.example.org/meetings/1/",
        "organizer": ORGANIZER,
        "attendees": PEOPLE,
        "stamp": STAMP,
    }
    return ics.EventSpec(**{**values, **fields})


def parse(data: bytes) -> Any:
    """The calendar as icalendar reads it (its item types are too wide to narrow here)."""
    return Calendar.from_ical(data)


def occurrences(data: bytes) -> list[Any]:
    found = recurring_ical_events.of(parse(data)).between(*EVER)
    return sorted(found, key=lambda event: event["DTSTART"].dt)


def starts(data: bytes) -> list[dt.datetime]:
    return [event["DTSTART"].dt for event in occurrences(data)]


def lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_it_keeps_a_weekly_series_at_the_same_local_time_across_the_march_clock_change():
    first = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)  # clocks go forward on 29 March
    master = spec(first, uid="series-1@meridian", recurrence=ics.Recurrence(every_weeks=1, count=4))
    found = starts(ics.invitation([master], "REQUEST"))
    assert [s.astimezone(LONDON).time() for s in found] == [dt.time(9)] * 4
    assert [s.astimezone(UTC) for s in found] == [
        dt.datetime(2026, 3, 17, 9, tzinfo=UTC),
        dt.datetime(2026, 3, 24, 9, tzinfo=UTC),
        dt.datetime(2026, 3, 31, 8, tzinfo=UTC),
        dt.datetime(2026, 4, 7, 8, tzinfo=UTC),
    ]


def test_it_writes_times_in_the_organisers_zone_with_its_vtimezone():
    first = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.invitation([spec(first.astimezone(UTC), zone="Europe/London")], "REQUEST")
    assert b"DTSTART;TZID=Europe/London:20260317T090000" in data
    assert b"DTEND;TZID=Europe/London:20260317T094500" in data
    calendar = parse(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")


def test_it_moves_one_occurrence_and_cancels_another():
    first = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    week = dt.timedelta(weeks=2)
    master = spec(
        first,
        uid="series-2@meridian",
        recurrence=ics.Recurrence(every_weeks=2, count=5, exdates=(first + 3 * week,)),
    )
    moved_to = dt.datetime(2026, 4, 1, 17, 30, tzinfo=LONDON)  # the 2nd, a day later, 1 h longer
    moved = spec(
        moved_to,
        uid="series-2@meridian",
        sequence=1,
        end=moved_to + dt.timedelta(minutes=105),
        recurrence_id=first + week,
        summary="Moved session",
    )
    data = ics.invitation([master, moved], "REQUEST")
    assert b"RRULE:FREQ=WEEKLY;COUNT=5;INTERVAL=2" in data
    assert b"EXDATE;TZID=Europe/London:20260428T090000" in data
    assert b"RECURRENCE-ID;TZID=Europe/London:20260331T090000" in data
    found = occurrences(data)
    assert [e["DTSTART"].dt for e in found] == [first, moved_to, first + 2 * week, first + 4 * week]
    assert [str(e["SUMMARY"]) for e in found].count("Moved session") == 1
    assert found[1]["DTEND"].dt - found[1]["DTSTART"].dt == dt.timedelta(minutes=105)
    assert {str(e["UID"]) for e in found} == {"series-2@meridian"}


def test_it_handles_a_quarter_hour_zone():
    start = dt.datetime(2026, 6, 2, 9, tzinfo=KATHMANDU)  # +05:45, no daylight saving
    master = spec(start, uid="series-3@meridian", recurrence=ics.Recurrence(every_weeks=1, count=3))
    data = ics.invitation([master], "REQUEST")
    assert b"TZID:Asia/Kathmandu" in data
    assert b"TZOFFSETTO:+0545" in data
    found = starts(data)
    assert [s.astimezone(UTC) for s in found] == [
        dt.datetime(2026, 6, 2 + 7 * n, 3, 15, tzinfo=UTC) for n in range(3)
    ]


def test_it_converts_a_start_given_in_another_zone():
    start = dt.datetime(2026, 6, 2, 3, 15, tzinfo=UTC)
    data = ics.invitation([spec(start, zone="Asia/Kathmandu")], "REQUEST")
    assert b"DTSTART;TZID=Asia/Kathmandu:20260602T090000" in data
    assert starts(data) == [start]


def test_a_request_has_what_the_big_clients_need():
    data = ics.invitation([spec(dt.datetime(2026, 3, 17, 9, tzinfo=LONDON), sequence=2)], "REQUEST")
    calendar = parse(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == ics.PRODID
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert event["UID"] == "meeting-1@meridian"
    assert event["SEQUENCE"] == 2
    assert event["DTSTAMP"].dt == STAMP
    assert event["STATUS"] == "CONFIRMED"
    assert event["URL"] == "https://meridian.example.org/meetings/1/"
    assert event["LOCATION"] == "https://meet.jit.si/abc"
    organizer = event["ORGANIZER"]
    assert (str(organizer), organizer.params["CN"]) == ("mailto:meridian@example.org", "Meridian")
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:ana@example.org", "mailto:ben@example.org"]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert [a.params["CN"] for a in attendees] == ["Ana Ruiz", "Ben Okafor"]
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt == -dt.timedelta(minutes=15)


def test_a_cancel_has_the_same_uid_a_higher_sequence_and_no_alarm():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.invitation([spec(start, sequence=3)], "CANCEL")
    calendar = parse(data)
    assert calendar["METHOD"] == "CANCEL"
    (event,) = calendar.events
    assert (event["UID"], event["SEQUENCE"], event["STATUS"]) == ("meeting-1@meridian", 3, "CANCELLED")
    assert not event.walk("VALARM")
    assert all("RSVP" not in attendee.params for attendee in event["ATTENDEE"])


def test_cancelling_one_occurrence_names_it_by_recurrence_id():
    first = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    second = first + dt.timedelta(weeks=1)
    data = ics.invitation([spec(second, uid="series-1@meridian", sequence=1, recurrence_id=second)], "CANCEL")
    (event,) = parse(data).events
    assert event["RECURRENCE-ID"].dt == second
    assert event["UID"] == "series-1@meridian"
    assert event["STATUS"] == "CANCELLED"
    assert "RRULE" not in event


def test_the_feed_has_no_method_and_asks_to_be_refreshed_hourly():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.feed([spec(start)], name="Meridian mentoring sessions", stamp=STAMP)
    calendar = parse(data)
    assert "METHOD" not in calendar
    assert calendar["X-WR-CALNAME"] == "Meridian mentoring sessions"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in data
    assert b"X-PUBLISHED-TTL:PT1H" in data
    (event,) = calendar.events
    assert "ATTENDEE" not in event
    assert "ORGANIZER" not in event
    assert not event.walk("VALARM")
    assert starts(data) == [start]


def test_an_empty_feed_is_still_a_calendar():
    calendar = parse(ics.feed([], name="Nothing yet", stamp=STAMP))
    assert calendar.events == []
    assert calendar["VERSION"] == "2.0"


HOSTILE = (
    'Line one\nline two, with commas; semicolons: colons \\ a backslash and "quotes"\n'
    "é ü 中文 🙂 עברית مرحبا Z̤͔ͧ̑̓ \u200b zero-width\t tab " + "long " * 400
)


def test_hostile_text_is_folded_and_reads_back_intact():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.invitation([spec(start, summary=HOSTILE, description=HOSTILE, location=HOSTILE)], "REQUEST")
    assert max(len(line) for line in lines(data)) <= 75  # octets, as RFC 5545 folds
    (event,) = occurrences(data)
    assert str(event["SUMMARY"]) == HOSTILE
    assert str(event["DESCRIPTION"]) == HOSTILE
    assert str(event["LOCATION"]) == HOSTILE


def test_control_characters_are_dropped_and_line_breaks_made_plain():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.invitation([spec(start, summary="a\r\nb\rc\x00d\x1be\x7f")], "REQUEST")
    assert b"\x00" not in data
    (event,) = parse(data).events
    assert str(event["SUMMARY"]) == "a\nb\ncde"


def test_names_with_quotes_and_line_breaks_stay_one_parameter():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    people = (ics.Attendee('Ana "the Boss"\nRuiz; Jr., PhD', "ana@example.org"),)
    data = ics.invitation([spec(start, attendees=people)], "REQUEST")
    (event,) = parse(data).events
    attendee = event["ATTENDEE"]
    attendee = attendee[0] if isinstance(attendee, list) else attendee
    assert attendee.params["CN"] == "Ana 'the Boss' Ruiz; Jr., PhD"
    assert str(attendee) == "mailto:ana@example.org"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_reads_back_as_cleaned(text):
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    data = ics.invitation([spec(start, summary=text, description=text)], "REQUEST")
    (event,) = parse(data).events
    assert str(event["SUMMARY"]) == ics.clean_text(text)
    assert str(event.get("DESCRIPTION", "")) == ics.clean_text(text)
    assert max(len(line) for line in lines(data)) <= 75


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": dt.datetime(2026, 3, 17, 9)}, "aware"),
        ({"stamp": dt.datetime(2026, 3, 17, 9)}, "aware"),
        ({"end": dt.datetime(2026, 3, 17, 8, tzinfo=LONDON)}, "end after"),
        ({"status": "TENTATIVE"}, "Status"),
        ({"sequence": -1}, "SEQUENCE"),
        ({"zone": "Mars/Olympus_Mons"}, "Mars"),
        (
            {
                "recurrence": ics.Recurrence(1, 2),
                "recurrence_id": dt.datetime(2026, 3, 17, 9, tzinfo=LONDON),
            },
            "not both",
        ),
    ],
)
def test_it_refuses_events_no_client_could_read(change, message):
    base = spec(dt.datetime(2026, 3, 17, 9, tzinfo=LONDON))
    with pytest.raises(Exception, match=message):
        dataclasses.replace(base, **change)


def test_one_invitation_carries_one_uid():
    start = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)
    with pytest.raises(ValueError, match="one UID"):
        ics.invitation([spec(start), spec(start, uid="other@meridian")], "REQUEST")
    with pytest.raises(ValueError, match="at least one"):
        ics.invitation([], "REQUEST")
