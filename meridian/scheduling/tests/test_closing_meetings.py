"""Closing a mentorship cancels what is still to come: scheduled meetings (each member
gets the cancellation for their calendar), open proposals and the series; meetings past
stay as they were, and a refused closing cancels nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from meridian.core.errors import MeridianError
from meridian.core.models import OutboundEmail
from meridian.mentorships import closing
from meridian.scheduling.models import EventKind, MeetingEvent, MeetingStatus, Series
from tests.factories import meeting_booked, meeting_proposed, people
from tests.fixtures import NOW

SAID = closing.Thoughts(achieved="Less fear of talks", next_steps="Keep going", recommend="yes")


def close(pair, user, **asked):
    how = {"outcome": "ended", "reason": "schedules", "thoughts": SAID, **asked}
    return closing.mentorship_close(mentorship=pair, user=user, **how)


def test_closing_cancels_the_meetings_to_come_and_tells_each_member(
    pair, clock, django_capture_on_commit_callbacks
):
    mentor, mentee = people(pair)
    past = meeting_booked(pair, NOW + dt.timedelta(days=1))
    coming = meeting_booked(pair, NOW + dt.timedelta(days=8))
    asked = meeting_proposed(pair, NOW + dt.timedelta(days=9), by=mentee)
    clock.move_to(NOW + dt.timedelta(days=3))
    OutboundEmail.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        close(pair, mentee)

    for meeting in (past, coming, asked):
        meeting.refresh_from_db()
    assert past.status == MeetingStatus.SCHEDULED  # it happened (or not): its outcome is still theirs
    assert coming.status == MeetingStatus.CANCELLED
    assert asked.status == MeetingStatus.CANCELLED
    logged = MeetingEvent.objects.get(meeting=coming, kind=EventKind.CANCELLED)
    assert logged.actor == mentee
    assert "closed" in logged.reason
    cancellations = [e for e in OutboundEmail.objects.all() if "METHOD:CANCEL" in str(e.alternatives)]
    assert sorted(address for e in cancellations for address in e.to) == sorted([mentor.email, mentee.email])


def test_closing_stops_the_series(pair, clock):
    meeting_booked(pair, NOW + dt.timedelta(days=2), repeat_weeks=2, repeat_count=4)
    close(pair, people(pair)[0])
    assert not Series.objects.filter(mentorship=pair, ended_at__isnull=True).exists()
    assert not pair.meetings.filter(status=MeetingStatus.SCHEDULED).exists()


def test_a_refused_closing_cancels_nothing(pair, clock):
    coming = meeting_booked(pair, NOW + dt.timedelta(days=8))
    with pytest.raises(MeridianError):
        close(pair, people(pair)[1], reason="not-a-reason")
    coming.refresh_from_db()
    assert coming.status == MeetingStatus.SCHEDULED
