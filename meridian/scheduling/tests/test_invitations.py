"""Invitation emails as they leave over real SMTP: one per member, the times in that
person's zone, both bodies, and the calendar file where clients look for it (a
``text/calendar; method=...`` alternative and an ``invite.ics`` attachment)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from django.test import TestCase
from icalendar import Calendar

from meridian.core import outbox
from meridian.core.models import OutboundEmail
from meridian.scheduling import invitations, services
from meridian.scheduling.invitations import events_for
from meridian.scheduling.models import Channel, Meeting, MeetingStatus, Series
from tests.factories import EnrollmentFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # London changes clocks on 29 March
LONDON = zoneinfo.ZoneInfo("Europe/London")
KATHMANDU = zoneinfo.ZoneInfo("Asia/Kathmandu")
START = dt.datetime(2026, 3, 3, 9, 0, tzinfo=LONDON)  # Tue 3 Mar 09:00 London = 14:45 Kathmandu


def mentor_of(mentorship: Any) -> Any:
    return mentorship.members.get(role="mentor").user


def meeting_of(mentorship: Any, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "mentorship": mentorship,
        "status": MeetingStatus.SCHEDULED,
        "starts_at": START,
        "minutes": 45,
        "proposed_by": mentor_of(mentorship),
        "channel": Channel.VIDEO,
        "video_url": "https://meet.jit.si/meridian-abc",
        "fallback": Channel.PHONE,
    }
    return Meeting.objects.create(**{**values, **fields})


def series_of(mentorship: Any, *, count: int = 4, every_weeks: int = 1) -> tuple[Series, list[Meeting]]:
    series = Series.objects.create(
        mentorship=mentorship, every_weeks=every_weeks, count=count, zone="Europe/London", first_start=START
    )
    rows = []
    for n in range(count):
        start = (START.replace(tzinfo=None) + dt.timedelta(weeks=every_weeks * n)).replace(tzinfo=LONDON)
        rows.append(meeting_of(mentorship, series=series, starts_at=start, recurrence_id=start))
    return series, rows


def notify(meeting: Meeting, method: Any, **options: Any) -> None:
    """Announce, then commit: the outbox sends the emails by a job after commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitations.notify(meeting, method, **options)


def sent(smtp: Any) -> dict[str, EmailMessage]:
    return {str(message["To"]): message for message in smtp.messages()}


def body_of(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


def text_of(message: EmailMessage) -> str:
    return body_of(message, "plain")


def html_of(message: EmailMessage) -> str:
    return body_of(message, "html")


def calendar_parts(message: EmailMessage) -> tuple[Any, Any]:
    """The text/calendar alternative and the invite.ics attachment."""
    (alternative,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    (attachment,) = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    return alternative, attachment


def calendar_of(message: EmailMessage, method: str) -> Any:
    alternative, attachment = calendar_parts(message)
    assert alternative.get_param("method") == method
    assert alternative.get_content_charset() == "utf-8"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content_type() == "application/ics"
    text = alternative.get_content()
    assert attachment.get_content() == text.encode()
    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == method
    return calendar


def test_it_sends_each_member_an_invitation_in_their_own_time(pair, smtp_server):
    meeting = meeting_of(pair)
    notify(meeting, "REQUEST")
    mails = sent(smtp_server)
    assert set(mails) == {"ana@example.org", "ben@example.org"}
    ana, ben = mails["ana@example.org"], mails["ben@example.org"]
    assert ana["Subject"] == "Invitation: Mentoring session with Ben Okafor, Tue 3 Mar 09:00 (your time)"
    assert ben["Subject"] == "Invitation: Mentoring session with Ana Ruiz, Tue 3 Mar 14:45 (your time)"
    assert "Tuesday 3 March 2026, 14:45–15:30 (Asia/Kathmandu, your time)" in text_of(ben)
    assert "Tuesday 3 March 2026, 09:00–09:45 (Europe/London, your time)" in text_of(ana)
    for message in (ana, ben):
        for body in (text_of(message), html_of(message)):
            assert "https://meet.jit.si/meridian-abc" in body
            assert "Phone call" in body
            assert f"/meetings/{meeting.public_id}/" in body
            assert "/meetings/check/" in body
            assert "/calendar/feed/" in body
    assert "<strong>Tuesday 3 March 2026, 14:45–15:30</strong>" in html_of(ben)


def test_the_calendar_file_is_an_invitation_clients_accept(pair, smtp_server):
    meeting = meeting_of(pair)
    notify(meeting, "REQUEST")
    calendar = calendar_of(sent(smtp_server)["ben@example.org"], "REQUEST")
    (event,) = calendar.events
    assert event["UID"] == meeting.uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == START
    assert event["DTSTART"].params["TZID"] == "Europe/London"  # the organiser's zone
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert event["SUMMARY"] == "Mentoring session with Ana Ruiz"
    assert event["LOCATION"] == "https://meet.jit.si/meridian-abc"
    assert str(event["URL"]).endswith(f"/meetings/{meeting.public_id}/")
    assert "If the video fails: Phone call" in event["DESCRIPTION"]
    assert sorted(str(a) for a in event["ATTENDEE"]) == ["mailto:ana@example.org", "mailto:ben@example.org"]
    assert {a.params["CN"] for a in event["ATTENDEE"]} == {"Ana Ruiz", "Ben Okafor"}
    assert all(a.params["RSVP"] == "TRUE" for a in event["ATTENDEE"])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert event.walk("VALARM")


def test_request_then_update_then_cancel(pair, smtp_server):
    meeting = meeting_of(pair)
    notify(meeting, "REQUEST")
    meeting.starts_at = START + dt.timedelta(days=1, hours=1)
    meeting.sequence = 1
    meeting.save()
    notify(meeting, "REQUEST", reason="A clash with the team offsite.")
    meeting.status, meeting.sequence = MeetingStatus.CANCELLED, 2
    meeting.save()
    notify(meeting, "CANCEL", reason="Ana is ill.")

    to_ben = [m for m in smtp_server.messages() if m["To"] == "ben@example.org"]
    _invited, updated, cancelled = to_ben
    assert updated["Subject"] == "Updated: Mentoring session with Ana Ruiz, Wed 4 Mar 15:45 (your time)"
    assert "A clash with the team offsite." in text_of(updated)
    assert "A clash with the team offsite." in html_of(updated)
    (event,) = calendar_of(updated, "REQUEST").events
    assert (event["UID"], event["SEQUENCE"]) == (meeting.uid, 1)
    assert event["DTSTART"].dt == START + dt.timedelta(days=1, hours=1)

    assert cancelled["Subject"] == "Cancelled: Mentoring session with Ana Ruiz, Wed 4 Mar 15:45 (your time)"
    assert "Ana is ill." in text_of(cancelled)
    assert "Ana is ill." in html_of(cancelled)
    assert "is cancelled" in text_of(cancelled)
    (event,) = calendar_of(cancelled, "CANCEL").events
    assert (event["UID"], event["SEQUENCE"], event["STATUS"]) == (meeting.uid, 2, "CANCELLED")
    assert not event.walk("VALARM")


def test_a_series_is_invited_as_one_repeating_event(pair, smtp_server):
    series, rows = series_of(pair, count=6)
    notify(rows[0], "REQUEST")
    ben = sent(smtp_server)["ben@example.org"]
    assert ben["Subject"] == (
        "Invitation: Mentoring session with Ana Ruiz, every week from Tue 3 Mar 14:45 (your time)"
    )
    assert "Repeats: every week, 6 sessions in all" in text_of(ben)
    (event,) = calendar_of(ben, "REQUEST").events
    assert event["UID"] == series.uid
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["COUNT"] == [6]
    assert event["RRULE"]["INTERVAL"] == [1]
    assert "EXDATE" not in event
    assert "RECURRENCE-ID" not in event


def test_a_change_to_one_occurrence_is_sent_as_that_occurrence(pair, smtp_server):
    series, rows = series_of(pair, count=6)
    moved = rows[2]  # 17 March
    moved.starts_at = START + dt.timedelta(weeks=2, hours=3)
    moved.sequence = 1
    moved.save()
    notify(moved, "REQUEST", reason="Later that day suits better.")
    ana = sent(smtp_server)["ana@example.org"]
    assert ana["Subject"] == "Updated: Mentoring session with Ben Okafor, Tue 17 Mar 12:00 (your time)"
    assert "first planned for Tuesday 17 March, 09:00 only" in text_of(ana)
    (event,) = calendar_of(ana, "REQUEST").events
    assert event["UID"] == series.uid
    assert event["RECURRENCE-ID"].dt == moved.recurrence_id
    assert event["RECURRENCE-ID"].params["TZID"] == "Europe/London"
    assert event["SEQUENCE"] == 1
    assert "RRULE" not in event


def test_cancelling_one_occurrence_names_it(pair, smtp_server):
    series, rows = series_of(pair)
    rows[1].status, rows[1].sequence = MeetingStatus.CANCELLED, 1
    rows[1].save()
    notify(rows[1], "CANCEL", reason="Bank holiday.")
    ana = sent(smtp_server)["ana@example.org"]
    assert ana["Subject"] == "Cancelled: Mentoring session with Ben Okafor, Tue 10 Mar 09:00 (your time)"
    assert "Only this session is cancelled" in text_of(ana)
    (event,) = calendar_of(ana, "CANCEL").events
    assert (event["UID"], event["STATUS"]) == (series.uid, "CANCELLED")
    assert event["RECURRENCE-ID"].dt == rows[1].recurrence_id


def test_the_whole_series_carries_its_moves_and_cancellations(pair, smtp_server):
    series, rows = series_of(pair, count=5)
    rows[1].status = MeetingStatus.CANCELLED
    rows[1].save()
    rows[3].starts_at = START + dt.timedelta(weeks=3, days=1)
    rows[3].sequence = 1
    rows[3].save()
    series.sequence = 1
    series.save()
    notify(rows[0], "REQUEST", whole_series=True)
    events = calendar_of(sent(smtp_server)["ana@example.org"], "REQUEST").events
    master, override = events
    assert master["SEQUENCE"] == 1
    assert [d.dt for d in master["EXDATE"].dts] == [rows[1].recurrence_id]
    assert override["RECURRENCE-ID"].dt == rows[3].recurrence_id
    assert override["DTSTART"].dt == rows[3].starts_at


def test_cancelling_a_whole_series_cancels_its_uid(pair, smtp_server):
    series, rows = series_of(pair)
    for row in rows:
        row.status = MeetingStatus.CANCELLED
        row.save()
    series.sequence, series.ended_at = 1, NOW
    series.save()
    notify(rows[0], "CANCEL", reason="We finished early.", whole_series=True)
    ben = sent(smtp_server)["ben@example.org"]
    assert ben["Subject"].startswith("Cancelled: Mentoring session with Ana Ruiz, every week from")
    (event,) = calendar_of(ben, "CANCEL").events
    assert (event["UID"], event["SEQUENCE"], event["STATUS"]) == (series.uid, 1, "CANCELLED")
    assert "RECURRENCE-ID" not in event


def test_it_writes_only_to_current_active_members(pair, smtp_server):
    gone = EnrollmentFactory(cohort=pair.cohort, user=UserFactory(email="gone@example.org"))
    pair.members.create(enrollment=gone, user=gone.user, role="mentee", is_current=False)
    mentee_member = pair.members.get(role="mentee", is_current=True)
    mentee_member.user.is_active = False
    mentee_member.user.save()
    notify(meeting_of(pair), "REQUEST")
    assert set(sent(smtp_server)) == {"ana@example.org"}


def test_names_are_escaped_in_html_and_plain_in_the_subject(pair, smtp_server):
    ben = pair.members.get(role="mentee").user
    ben.name = "Ben <b>O'Brien</b> & Sons"
    ben.save()
    notify(meeting_of(pair, title="Chat: goals, plans; next"), "REQUEST")
    ana = sent(smtp_server)["ana@example.org"]
    assert ana["Subject"].startswith("Invitation: Chat: goals, plans; next with Ben <b>O'Brien</b> & Sons,")
    assert "Ben &lt;b&gt;O&#x27;Brien&lt;/b&gt; &amp; Sons" in html_of(ana)
    assert "Ben <b>O'Brien</b> & Sons" in text_of(ana)
    (event,) = calendar_of(ana, "REQUEST").events
    assert event["SUMMARY"] == "Chat: goals, plans; next with Ben <b>O'Brien</b> & Sons"


# ---------------------------------------------------------------- events_for (the feed's source)


def test_events_for_lists_a_persons_meetings_and_a_series_as_master_and_changes(pair):
    ana = mentor_of(pair)
    single = meeting_of(pair, starts_at=START + dt.timedelta(days=30))
    meeting_of(pair, status=MeetingStatus.CANCELLED)
    meeting_of(pair, status=MeetingStatus.PROPOSED, starts_at=None)
    series, rows = series_of(pair, count=4)
    rows[2].status = MeetingStatus.CANCELLED
    rows[2].save()
    rows[1].starts_at = START + dt.timedelta(weeks=1, hours=2)
    rows[1].save()
    other_pair = mentoring_pair()
    meeting_of(other_pair, proposed_by=mentor_of(other_pair))

    events = events_for(ana, since=NOW - dt.timedelta(days=1))
    assert sorted({e.uid for e in events}) == sorted({single.uid, series.uid})
    (master,) = [e for e in events if e.recurrence is not None]
    assert master.recurrence is not None
    assert master.recurrence.exdates == (rows[2].recurrence_id,)
    (override,) = [e for e in events if e.recurrence_id is not None]
    assert (override.recurrence_id, override.start) == (rows[1].recurrence_id, rows[1].starts_at)
    assert all(e.summary == "Mentoring session with Ben Okafor" for e in events)


def test_events_for_a_past_mentorship_keeps_only_what_had_begun(pair, clock):
    ana = mentor_of(pair)
    held = meeting_of(pair, status=MeetingStatus.HELD, starts_at=NOW - dt.timedelta(days=2))
    meeting_of(pair, starts_at=NOW + dt.timedelta(days=2))
    pair.members.update(is_current=False)
    assert [e.uid for e in events_for(ana, since=NOW - dt.timedelta(days=30))] == [held.uid]


def test_a_move_while_the_mail_server_is_down_is_sent_when_it_is_back(pair, smtp_down):
    meeting = meeting_of(pair)
    later = START + dt.timedelta(days=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.meeting_move(
            meeting=meeting, user=mentor_of(pair), start=later, reason="A clash with the team offsite."
        )
    waiting = list(OutboundEmail.objects.all())
    assert sorted(row.to[0] for row in waiting) == ["ana@example.org", "ben@example.org"]
    assert all((row.status, row.attempts) == ("queued", 1) for row in waiting)
    assert Meeting.objects.get(pk=meeting.pk).starts_at == later  # the move stands

    mailbox = smtp_down.up()
    with time_machine.travel(max(row.next_attempt_at for row in waiting) + dt.timedelta(seconds=1)):
        outbox.retry_due()
        outbox.retry_due()
    mails = [m for m in mailbox.messages() if m["To"] == "ben@example.org"]
    assert len(mails) == 1
    assert len(mailbox.messages()) == 2
    (event,) = calendar_of(mails[0], "REQUEST").events  # text/calendar + .ics, method intact
    assert (event["UID"], event["SEQUENCE"], event["DTSTART"].dt) == (meeting.uid, 1, later)
    assert "A clash with the team offsite." in text_of(mails[0])
