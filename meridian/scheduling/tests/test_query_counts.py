"""Query counts of the meeting pages and the meetings API, pinned: the same whether a pair
has 1 meeting or 12 (a series), so nothing queries per meeting, option or member."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meridian.scheduling import services
from meridian.scheduling.models import Meeting
from tests.factories import mentoring_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
# session, user, mentorship and its members, may see it, takes part, booked times, the four
# lists, options x2
SCHEDULE = 13
# session, user, meeting and options, may see it, members, takes part, consents, history, the
# notes panel (7), the pair's active goals offered by the action-item form
MEETING = 17
API_LIST = 6


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _pair_with(meetings: int) -> tuple[Any, Any, Meeting]:
    pair = mentoring_pair(mentee_fields={"time_zone": "Asia/Kolkata"})
    mentor, mentee = (m.user for m in pair.members.select_related("user").order_by("role"))
    for user in (mentor, mentee):
        user.profile.availability = "Mon 06:00-20:00; Tue 06:00-20:00; Wed 06:00-20:00"
        user.profile.save()
    start = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
    weeks = 1 if meetings > 1 else 0
    proposal = services.MeetingProposal(
        starts=[start], minutes=30, repeat_weeks=weeks, repeat_count=meetings * weeks
    )
    meeting = services.meeting_propose(mentorship=pair, user=mentor, proposal=proposal)
    services.meeting_accept(meeting=meeting, user=mentee, start=start)
    services.meeting_propose(
        mentorship=pair,
        user=mentee,
        proposal=services.MeetingProposal(
            starts=[start + dt.timedelta(days=1, hours=i) for i in range(3)], minutes=30
        ),
    )
    return pair, mentee, meeting


@pytest.mark.parametrize("meetings", [1, 12])
def test_it_pins_the_meetings_page(client, clock, meetings):
    pair, mentee, _ = _pair_with(meetings)
    client.force_login(mentee)
    assert _queries(client, reverse("scheduling:schedule", args=[pair.public_id])) == SCHEDULE


@pytest.mark.parametrize("meetings", [1, 12])
def test_it_pins_the_meeting_page(client, clock, meetings):
    _, mentee, meeting = _pair_with(meetings)
    client.force_login(mentee)
    assert _queries(client, reverse("scheduling:meeting", args=[meeting.public_id])) == MEETING


@pytest.mark.parametrize("meetings", [1, 12])
def test_it_pins_the_meetings_api(client, clock, meetings):
    _, mentee, _ = _pair_with(meetings)
    client.force_login(mentee)
    assert _queries(client, "/api/v1/meetings/") == API_LIST
