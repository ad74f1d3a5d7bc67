"""Our events stored on a real CalDAV server (Radicale) through the ``caldav`` client,
read back and compared with what we meant: what a calendar app syncing with a server
would see. No Django here: ``ics`` is pure."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import radicale.config
import radicale.server
import recurring_ical_events
from caldav.davclient import DAVClient
from icalendar import Calendar

from meridian.scheduling import ics

LONDON = ZoneInfo("Europe/London")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
STAMP = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
EVER = (dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2035, 1, 1, tzinfo=dt.UTC))
PEOPLE = (ics.Attendee("Ana Ruiz", "ana@example.org"), ics.Attendee("Ben Okafor", "ben@example.org"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def calendar(tmp_path) -> Iterator[Any]:
    """A calendar on a Radicale server of its own, on loopback, for one test."""
    port = _free_port()
    config = radicale.config.load()
    config.update(
        {
            "server": {"hosts": f"127.0.0.1:{port}"},
            "auth": {"type": "none"},
            "rights": {"type": "owner_only"},
            "storage": {"filesystem_folder": str(tmp_path / "collections")},
            "web": {"type": "none"},
        },
        "test",
    )
    stop_r, stop_w = socket.socketpair()
    server = threading.Thread(target=radicale.server.serve, args=(config, stop_r), daemon=True)
    server.start()
    _wait_for(port)
    try:
        with DAVClient(url=f"http://127.0.0.1:{port}/", username="ana", password="x") as client:
            yield client.get_principal().make_calendar(name="Mentoring", cal_id="mentoring")
    finally:
        stop_w.close()
        server.join(timeout=10)
        stop_r.close()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Radicale did not start")


def spec(start: dt.datetime, **fields: Any) -> ics.EventSpec:
    values: dict[str, Any] = {
        "uid": "series-1@meridian",
        "sequence": 0,
        "start": start,
        "end": start + dt.timedelta(minutes=45),
        "zone": str(start.tzinfo),
        "summary": "Mentoring session with Ben Okafor",
        "description": "Video call: https://meet.jit.si/abc\nIf the video fails: Phone call",
        "location": "https://meet.jit.si/abc",
        "url": "https://meridian.example.org/meetings/1/",
        "organizer": ics.Attendee("Meridian", "meridian@example.org"),
        "attendees": PEOPLE,
        "stamp": STAMP,
    }
    return ics.EventSpec(**{**values, **fields})


def stored(events: list[ics.EventSpec]) -> str:
    """One calendar object resource: one UID's events, without METHOD (RFC 4791)."""
    return ics.feed(events, name="Mentoring", stamp=STAMP).decode()


def seen(data: str | bytes) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """(start in UTC, end in UTC, summary) of each occurrence, by a second reader."""
    found = recurring_ical_events.of(Calendar.from_ical(data)).between(*EVER)
    return sorted(
        (e["DTSTART"].dt.astimezone(dt.UTC), e["DTEND"].dt.astimezone(dt.UTC), str(e["SUMMARY"]))
        for e in found
    )


def series_with_changes(sequence: int = 0) -> list[ics.EventSpec]:
    first = dt.datetime(2026, 3, 17, 9, tzinfo=LONDON)  # across the clock change of 29 March
    week = dt.timedelta(weeks=1)
    moved_to = dt.datetime(2026, 3, 25, 16, tzinfo=LONDON)
    return [
        spec(first, sequence=sequence, recurrence=ics.Recurrence(1, 6, exdates=(first + 4 * week,))),
        spec(
            moved_to,
            sequence=max(sequence, 1),
            end=moved_to + dt.timedelta(hours=1),
            recurrence_id=first + week,
            summary="Moved: mentoring session",
        ),
    ]


def test_it_stores_a_series_and_reads_back_the_occurrences_we_meant(calendar):
    events = series_with_changes()
    text = stored(events)
    calendar.add_event(text, increase_seqno=False)
    back = calendar.get_event_by_uid("series-1@meridian")
    assert seen(back.data) == seen(text)
    found = seen(back.data)
    assert len(found) == 5  # six, less the cancelled one
    assert [start for start, _, _ in found if start.astimezone(LONDON).hour == 9] == [
        dt.datetime(2026, 3, 17, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 31, 8, tzinfo=dt.UTC),  # after the change: 09:00 BST
        dt.datetime(2026, 4, 7, 8, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 21, 8, tzinfo=dt.UTC),
    ]
    assert ("Moved: mentoring session", dt.timedelta(hours=1)) in [(s, e - b) for b, e, s in found]
    master = back.icalendar_component
    assert master["SEQUENCE"] == 0
    assert master["DTSTART"].params["TZID"] == "Europe/London"


def test_overwriting_with_a_higher_sequence_replaces_the_event(calendar):
    calendar.add_event(stored(series_with_changes()), increase_seqno=False)
    later = dt.datetime(2026, 3, 17, 10, 30, tzinfo=LONDON)
    update = [spec(later, sequence=2, recurrence=ics.Recurrence(2, 3))]
    calendar.add_event(stored(update), increase_seqno=False)
    back = calendar.get_event_by_uid("series-1@meridian")
    assert back.icalendar_component["SEQUENCE"] == 2
    assert seen(back.data) == seen(stored(update))
    assert [start.astimezone(LONDON).time() for start, _, _ in seen(back.data)] == [dt.time(10, 30)] * 3
    assert len(calendar.events()) == 1


def test_the_server_finds_a_quarter_hour_zone_meeting_by_date(calendar):
    start = dt.datetime(2026, 6, 2, 9, tzinfo=KATHMANDU)
    calendar.add_event(stored([spec(start, uid="meeting-9@meridian")]), increase_seqno=False)
    hits = calendar.search(
        start=dt.datetime(2026, 6, 2, 3, tzinfo=dt.UTC),
        end=dt.datetime(2026, 6, 2, 4, tzinfo=dt.UTC),
        event=True,
    )
    assert [hit.icalendar_component["UID"] for hit in hits] == ["meeting-9@meridian"]
    misses = calendar.search(
        start=dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC),
        end=dt.datetime(2026, 6, 2, 10, tzinfo=dt.UTC),
        event=True,
    )
    assert misses == []
    (occurrence,) = seen(calendar.get_event_by_uid("meeting-9@meridian").data)
    assert occurrence[0] == dt.datetime(2026, 6, 2, 3, 15, tzinfo=dt.UTC)
