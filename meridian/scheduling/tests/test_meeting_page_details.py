"""Smaller things on the meeting pages: the video call is offered only while there is one
to join; a time outside a partner's working hours is named, with their local time, before
and when it is saved (without stopping it); an error about a typed time sits beside it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from meridian.scheduling import services
from meridian.scheduling.models import Meeting, MeetingStatus
from tests.factories import meeting_booked, people

WEEKDAYS = "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00"
# Ana in Sao Paulo (working 09:00-17:00 on weekdays), Priya in Kolkata.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.pair(
        mentor={"time_zone": "America/Sao_Paulo", "profile__working_hours": WEEKDAYS},
        mentee={"name": "Priya Raman", "time_zone": "Asia/Kolkata", "profile__working_hours": WEEKDAYS},
    ),
]

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # a Monday
UTC = dt.UTC
JOIN = "Join the video call"


def booked(pair: Any, start: dt.datetime, **fields: Any) -> Meeting:
    meeting: Meeting = meeting_booked(pair, start, minutes=60)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save()
    return meeting


def page_of(client: Any, meeting: Meeting, **query: str) -> str:
    response = client.get(reverse("scheduling:meeting", args=[meeting.public_id]), query)
    assert response.status_code == 200
    return str(response.content.decode())


# ---------------------------------------------------------------- the video call


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (MeetingStatus.SCHEDULED, True),
        (MeetingStatus.CANCELLED, False),
        (MeetingStatus.HELD, False),
        (MeetingStatus.MISSED, False),
    ],
)
def test_only_a_scheduled_meeting_offers_its_video_call(client, pair, status, offered):
    meeting = booked(pair, NOW + dt.timedelta(days=1), status=status)
    client.force_login(people(pair)[1])
    html = page_of(client, meeting)
    assert (JOIN in html) is offered
    assert (meeting.video_url in html) is offered
    if not offered:
        assert "no call to join" in html


def test_the_call_is_offered_while_it_runs_and_not_after(client, pair, clock):
    meeting = booked(pair, NOW + dt.timedelta(hours=1))
    client.force_login(people(pair)[1])
    clock.move_to(NOW + dt.timedelta(hours=1, minutes=30))  # half-way through
    assert JOIN in page_of(client, meeting)
    clock.move_to(NOW + dt.timedelta(hours=2, minutes=1))  # over, not yet marked
    html = page_of(client, meeting)
    assert JOIN not in html
    assert "This meeting is over" in html


def test_a_proposal_has_no_call_to_join_yet(client, pair):
    mentor, mentee = people(pair)
    meeting = services.meeting_propose(
        mentorship=pair,
        user=mentor,
        proposal=services.MeetingProposal(starts=[NOW + dt.timedelta(days=1)], minutes=60),
    )
    client.force_login(mentee)
    assert JOIN not in page_of(client, meeting)


# ---------------------------------------------------------------- outside working hours


def test_moving_to_2330_for_the_partner_warns_before_and_when_it_is_saved(client, pair):
    meeting = booked(pair, dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC))  # Tue 11:00 in Sao Paulo
    _, priya = people(pair)
    client.force_login(priya)
    # Wed 08:00 in Kolkata is Tue 23:30 in Sao Paulo.
    warning = "23:30 for Ana (Sao Paulo time), outside their working hours."
    assert warning in page_of(client, meeting, **{"move-when": "2026-03-04T08:00"})
    assert "outside their working hours" not in page_of(client, meeting, **{"move-when": "2026-03-04T19:30"})
    answer = client.post(
        reverse("scheduling:move", args=[meeting.public_id]),
        {"move-when": "2026-03-04T08:00", "move-reason": "Only the morning is free"},
    )
    assert answer.status_code == 302  # a warning, not a refusal
    meeting.refresh_from_db()
    assert meeting.starts_at == dt.datetime(2026, 3, 4, 2, 30, tzinfo=UTC)
    assert warning in [str(m) for m in get_messages(answer.wsgi_request)]


def test_proposing_a_typed_time_outside_the_partners_hours_warns(client, pair):
    _, priya = people(pair)
    client.force_login(priya)
    url = reverse("scheduling:schedule", args=[pair.public_id])
    html = client.get(url, {"other": "2026-03-04T08:00"}).content.decode()
    assert "23:30 for Ana (Sao Paulo time), outside their working hours." in html
    answer = client.post(
        reverse("scheduling:propose", args=[pair.public_id]),
        {"other": "2026-03-04T08:00", "minutes": 45, "channel": "video", "fallback": "phone"},
    )
    assert answer.status_code == 302
    assert any("23:30 for Ana" in str(m) for m in get_messages(answer.wsgi_request))


# ---------------------------------------------------------------- errors beside their field


def test_a_time_in_the_past_is_an_error_of_its_field_described_by_it(client, pair):
    meeting = booked(pair, dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    client.force_login(people(pair)[1])
    answer = client.post(
        reverse("scheduling:move", args=[meeting.public_id]),
        {"move-when": "2026-03-01T10:00", "move-reason": "Sooner"},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert re.search(
        r'<ul class="errorlist" id="id_move-when_error"><li>Pick a time in the future.</li>', html
    )
    (field,) = re.findall(r"<input[^>]*id=\"id_move-when\"[^>]*>", html)
    assert 'aria-describedby="id_move-when_helptext id_move-when_error"' in field
    assert 'aria-invalid="true"' in field
    propose = client.post(
        reverse("scheduling:propose", args=[pair.public_id]),
        {"other": "2026-03-01T10:00", "minutes": 45, "channel": "video", "fallback": "phone"},
    )
    assert propose.status_code == 400
    assert '<ul class="errorlist" id="id_other_error"><li>Pick a time in the future.</li>' in (
        propose.content.decode()
    )
