"""The meetings API: slots, propose, accept, move, cancel, outcome; the same rules as the
pages, bad input answered 400 in words, never 500; links for members only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.scheduling.models import Meeting, MeetingStatus
from tests.factories import UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def pair() -> Any:
    with time_machine.travel(NOW, tick=False):
        mentorship = mentoring_pair(
            mentor_fields={"time_zone": "Europe/London"}, mentee_fields={"time_zone": "Asia/Kolkata"}
        )
        for member in mentorship.members.select_related("user__profile"):
            member.user.profile.availability = "Mon 06:00-20:00; Tue 06:00-20:00"
            member.user.profile.save()
        yield mentorship


def people(mentorship: Any) -> tuple[Any, Any]:
    members = {m.role: m.user for m in mentorship.members.select_related("user")}
    return members["mentor"], members["mentee"]


def test_slots_propose_accept_move_and_mark(client, pair):
    mentor, mentee = people(pair)
    client.force_login(mentor)
    slots = client.get(f"/api/v1/mentorships/{pair.public_id}/slots/?weeks=1").json()
    assert slots
    assert all(s["start"] < s["end"] for s in slots)
    # London 06:00-20:00 and Kolkata 06:00-20:00 (+5:30) overlap 06:00-14:30 London
    first = next(s for s in slots if s["starts"])
    assert first["start"].endswith("Z") or "+00:00" in first["start"]
    start = first["starts"][0]
    made = client.post(
        f"/api/v1/mentorships/{pair.public_id}/meetings/",
        {"starts": [start], "minutes": 30, "repeat_weeks": 2, "repeat_count": 3},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    meeting = made.json()
    assert meeting["status"] == "proposed"
    assert len(meeting["options"]) == 1

    client.force_login(mentee)
    accepted = client.post(
        f"/api/v1/meetings/{meeting['id']}/accept/",
        {"start": meeting["options"][0]},
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "scheduled"
    assert accepted.json()["video_url"].startswith("https://")
    listed = client.get(f"/api/v1/meetings/?mentorship={pair.public_id}&status=scheduled").json()
    assert listed["count"] == 3  # the series' three occurrences

    moved = client.post(
        f"/api/v1/meetings/{meeting['id']}/move/",
        {"start": "2026-03-03T09:00:00+00:00", "reason": "Clash"},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert moved.json()["sequence"] == 1
    early = client.post(
        f"/api/v1/meetings/{meeting['id']}/outcome/", {"outcome": "held"}, content_type="application/json"
    )
    assert early.status_code == 400
    assert "once it has started" in early.json()["error"]["message"]


def test_managers_read_meetings_without_links_and_cannot_change_them(client, pair):
    mentor, mentee = people(pair)
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(mentor)
    made = client.post(
        f"/api/v1/mentorships/{pair.public_id}/meetings/",
        {"starts": ["2026-03-03T09:00:00+00:00"], "minutes": 30},
        content_type="application/json",
    ).json()
    client.force_login(mentee)
    client.post(
        f"/api/v1/meetings/{made['id']}/accept/",
        {"start": made["options"][0]},
        content_type="application/json",
    )
    client.force_login(manager)
    seen = client.get(f"/api/v1/meetings/{made['id']}/").json()
    assert seen["status"] == "scheduled"
    assert seen["video_url"] == ""
    assert client.get(f"/api/v1/mentorships/{pair.public_id}/slots/").status_code == 404
    cancel = client.post(
        f"/api/v1/meetings/{made['id']}/cancel/", {"reason": "x"}, content_type="application/json"
    )
    assert cancel.status_code == 404
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(f"/api/v1/meetings/{made['id']}/").status_code == 404
    assert client.get("/api/v1/meetings/").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts": [], "minutes": 30}, "starts"),
        ({"starts": ["yesterday"], "minutes": 30}, "starts"),
        ({"starts": ["2026-03-03T09:00:00+00:00"] * 4, "minutes": 30}, "starts"),
        ({"starts": ["2026-03-03T09:00:00+00:00"], "minutes": 1}, "minutes"),
        ({"starts": ["2026-03-03T09:00:00+00:00"], "minutes": 30, "channel": "fax"}, "channel"),
        ({"starts": "2026-03-03T09:00:00+00:00", "minutes": 30}, "starts"),
        ({"starts": ["2020-03-03T09:00:00+00:00"], "minutes": 30}, "in the future"),
        ({"starts": ["2026-03-03T09:00:00+00:00"], "minutes": 30, "fallback": "video"}, "different channel"),
    ],
)
def test_bad_proposals_get_400_naming_the_field(client, pair, body, field):
    mentor, _ = people(pair)
    client.force_login(mentor)
    answer = client.post(
        f"/api/v1/mentorships/{pair.public_id}/meetings/", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert field in str(answer.json())
    assert not Meeting.objects.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["starts", "minutes", "channel", "reason", "start"]),
        st.one_of(st.text(max_size=50), st.integers(), st.lists(st.text(max_size=30), max_size=5), st.none()),
    )
)
def test_hostile_bodies_never_500(client, pair, body):
    mentor, mentee = people(pair)
    client.force_login(mentor)
    answer = client.post(
        f"/api/v1/mentorships/{pair.public_id}/meetings/", body, content_type="application/json"
    )
    assert answer.status_code in (201, 400)
    meeting = Meeting.objects.filter(status=MeetingStatus.PROPOSED).first()
    if meeting is not None:
        client.force_login(mentee)
        for action in ("accept", "decline", "move", "cancel", "outcome"):
            answer = client.post(
                f"/api/v1/meetings/{meeting.public_id}/{action}/", body, content_type="application/json"
            )
            assert answer.status_code in (200, 400), (action, answer.content)


@pytest.mark.parametrize("path", ["/api/v1/mentorships/{id}/meetings/", "/api/v1/me/availability/"])
def test_json_nested_too_deep_is_a_400_everywhere(client, pair, path):
    mentor, _ = people(pair)
    client.force_login(mentor)
    method = client.put if "availability" in path else client.post
    answer = method(
        path.format(id=pair.public_id), "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "nested too deeply" in answer.json()["error"]["message"]
