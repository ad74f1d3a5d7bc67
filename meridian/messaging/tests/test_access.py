"""Who reads and writes a mentorship's messages, in pages, the poll fragment and the API:
the current members alone. Everyone else gets a 404 (the API's JSON one), anonymous
visitors are sent to sign in (the API answers 401), whatever their other rights."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from meridian.messaging import services
from meridian.messaging.models import Message
from meridian.messaging.tests.conftest import fresh_thread
from tests.factories import EnrollmentFactory, ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

ROLES = (
    "member",
    "partner",
    "other_pair_member",
    "manager",
    "other_manager",
    "removed",
    "admin",
    "anonymous",
)
MEMBERS = {"member", "partner"}


@pytest.fixture
def world(talk: SimpleNamespace) -> SimpleNamespace:
    """``talk`` as a group: a third member who left (removed), and a pair next door in the
    same program, whose member guesses this thread's address."""
    removed = UserFactory(name="Left Early")
    enrollment = EnrollmentFactory(cohort=talk.mentorship.cohort, user=removed, role="mentee")
    talk.mentorship.members.create(enrollment=enrollment, user=removed, role="mentee", is_current=False)
    neighbour = mentoring_pair(program=talk.mentorship.program)
    other_manager = UserFactory()
    ProgramFactory(managers=[other_manager])
    services.message_send(thread=fresh_thread(talk.thread), author=talk.mentor, body="Only for the pair")
    return SimpleNamespace(
        talk=talk,
        people={
            "member": talk.mentee,
            "partner": talk.mentor,
            "other_pair_member": neighbour.members.get(role="mentee").user,
            "manager": talk.manager,
            "other_manager": other_manager,
            "removed": removed,
            "admin": UserFactory(is_staff=True, is_superuser=True),
            "anonymous": None,
        },
    )


def _as(client: Any, world: SimpleNamespace, role: str) -> None:
    person = world.people[role]
    if person is not None:
        client.force_login(person)


def _pages(world: SimpleNamespace) -> dict[str, tuple[str, str, dict[str, Any]]]:
    base = f"/mentorships/{world.talk.mentorship.public_id}/messages/"
    api = f"/api/v1/mentorships/{world.talk.mentorship.public_id}/messages/"
    return {
        "page": ("GET", base, {}),
        "send": ("POST", base, {"body": "A word"}),
        "poll": ("GET", base + "new/", {}),
        "api_list": ("GET", api, {}),
        "api_send": ("POST", api, {"body": "A word"}),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("what", ["page", "send", "poll", "api_list", "api_send"])
def test_only_current_members_read_and_write_messages(client, world, role, what):
    _as(client, world, role)
    method, path, data = _pages(world)[what]
    before = Message.objects.count()
    if method == "POST":
        kind = "application/json" if what.startswith("api") else "application/x-www-form-urlencoded"
        payload = data if what.startswith("api") else "body=A+word"
        response = client.post(path, payload, content_type=kind)
    else:
        response = client.get(path, data)
    body = response.content.decode()
    api = what.startswith("api")
    if role in MEMBERS:
        assert response.status_code in (200, 201, 204, 302), (what, role, response.status_code)
        if what in ("page", "api_list"):
            assert "Only for the pair" in body
    elif role == "anonymous":
        if api:
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404, (what, role, response.status_code)
        assert "Only for the pair" not in body
        if api:
            assert response.json()["error"]["code"] == "not_found"
    written = Message.objects.count() - before
    assert written == (1 if role in MEMBERS and method == "POST" else 0)


def test_the_admin_site_has_no_messages(client, world):
    client.force_login(world.people["admin"])
    from django.contrib import admin

    from meridian.messaging.models import Thread, ThreadRead

    for model in (Message, Thread, ThreadRead):
        assert not admin.site.is_registered(model)
    assert client.get("/django-admin/messaging/message/").status_code == 404


@pytest.mark.parametrize("what", ["page", "send", "poll", "api_list", "api_send"])
def test_once_ended_the_former_pair_reads_and_writes_no_more(client, world, what):
    """Closed: everyone who was in it reads the conversation (as its goals and shared files,
    ``permissions.in_the_pair``) in the pages and the API, and writes to it no more; the
    program's team reads nothing."""
    from meridian.mentorships import closing

    thoughts = closing.Thoughts(achieved="Much", next_steps="More", recommend="yes")
    talk = world.talk
    closing.mentorship_close(
        mentorship=talk.mentorship, user=talk.mentor, outcome="ended", reason="schedules", thoughts=thoughts
    )
    method, path, data = _pages(world)[what]
    for role in ("member", "partner", "removed", "manager"):
        _as(client, world, role)
        before = Message.objects.count()
        if method == "POST":
            response = client.post(path, data, content_type="application/json")
        else:
            response = client.get(path, data)
        readable = role in (*MEMBERS, "removed") and method == "GET"
        assert response.status_code == (200 if readable else 404), (what, role, response.status_code)
        assert ("Only for the pair" in response.content.decode()) == readable
        assert Message.objects.count() == before
        if readable and what == "page":
            page = response.content.decode()
            assert 'id="composer"' not in page
            assert 'id="msg-poll"' not in page
            assert "the conversation is kept for you to read" in page
            assert "New messages appear" not in page
            partner = talk.mentee if role == "partner" else talk.mentor
            assert partner.name in page.split('class="lead"')[1].split("</p>")[0]  # who it was with
