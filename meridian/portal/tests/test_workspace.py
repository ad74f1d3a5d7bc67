"""A mentorship's page: the pair's workspace (every section, each linking to its own page,
times on each person's clock) and the program team's overview (activity, never content),
each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from meridian.mentorships import checkins, closing, files, goals
from meridian.mentorships.agreement import agreement_accept, agreement_propose
from meridian.messaging.models import Thread
from meridian.messaging.services import message_send
from meridian.scheduling.notes import meeting_text_save, private_note_save
from tests.factories import UserFactory, action_item, meeting_booked, people
from tests.pair_matrix import api_terms

pytestmark = pytest.mark.django_db

SECRETS = {
    "message": "Secret message body 7f3a",
    "checkin": "Secret check-in line 9c1d",
    "note": "Secret private note 2b8e",
    "shared": "Secret shared notes 5d0f",
    "goal": "Secret goal description 4a6c",
    "file": "Secret link note 8e2b",
    "reflection": "Secret reflection 1f9d",
}


def page(client: Any, user: Any, mentorship: Any) -> str:
    client.force_login(user)
    answer = client.get(reverse("portal:workspace", args=[mentorship.public_id]))
    assert answer.status_code == 200
    return " ".join(answer.content.decode().split())


def busy(pair: Any, n: int = 1) -> Any:
    """``pair`` with ``n`` of everything the workspace shows, the secrets among them."""
    mentor, mentee = people(pair)
    meeting = meeting_booked(pair, dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC))
    meeting_text_save(meeting=meeting, user=mentor, field="shared_notes", text=SECRETS["shared"])
    private_note_save(meeting=meeting, user=mentee, text=SECRETS["note"])
    thread, _ = Thread.objects.get_or_create(mentorship=pair)
    agreement_propose(mentorship=pair, user=mentor, terms=api_terms(SimpleNamespace()))
    agreement_accept(mentorship=pair, user=mentee, number=1)
    for i in range(n):
        message_send(thread=thread, author=mentee if i % 2 else mentor, body=f"{SECRETS['message']} {i}")
        checkins.checkin_create(mentorship=pair, user=mentee, mood=4, line=f"{SECRETS['checkin']} {i}")
        goal = goals.goal_create(
            mentorship=pair,
            user=mentee,
            data=goals.GoalInput(title=f"Public speaking {i}", description=SECRETS["goal"]),
        )
        goals.goal_progress(goal=goal, user=mentor, progress=40, comment="Two talks given")
        files.shared_link_add(
            mentorship=pair, user=mentor, url=f"https://example.org/talk-{i}", note=SECRETS["file"]
        )
        action_item(pair, f"Draft the talk outline {i}", meeting=meeting)
    return meeting


@pytest.fixture
def manager(pair: Any) -> Any:
    user = UserFactory(name="Mina Manager")
    pair.program.managers.add(user)
    return user


def test_it_gathers_every_section_for_the_pair_with_times_named(client, pair):
    _mentor, mentee = people(pair)
    busy(pair)
    seen = page(client, mentee, pair)
    assert "Ana Ruiz" in seen
    assert "there now (Europe/London)" in seen  # the partner's clock, zone named
    # the next meeting on each clock: 10:00 UTC is 15:45 in Kathmandu, 10:00 in London
    assert "Wednesday 4 March, 15:45, your time (Asia/Kathmandu)" in seen
    assert "Wednesday 4 March, 10:00 for Ana Ruiz (Europe/London)" in seen
    assert "Draft the talk outline 0" in seen
    assert f"{SECRETS['message']} 0" in seen  # the pair reads its own
    assert "Public speaking 0" in seen
    assert "40 %" in seen
    assert "Agreed on" in seen
    for name in ("messaging:thread", "mentorships:goals", "mentorships:files", "mentorships:agreement"):
        assert reverse(name, args=[pair.public_id]) in seen, name
    assert reverse("scheduling:schedule", args=[pair.public_id]) in seen
    # the most-used sections come first (the phone reads them top down)
    order = [seen.index(s) for s in ('id="next-meeting"', 'id="messages-h"', 'id="actions-section"')]
    assert order == sorted(order)
    assert seen.index('id="actions-section"') < seen.index('id="goals-section"')


def test_it_says_what_is_empty(client, pair):
    _mentor, mentee = people(pair)
    seen = page(client, mentee, pair)
    assert "No meeting is scheduled yet." in seen
    assert "No messages yet." in seen
    assert "No open action items." in seen
    assert "Not agreed yet." in seen


# with the pulse card (engagement): one; the pause card: its pauses and the nudge; observing a
# session: the two rules, the coming sessions and their requests
WORKSPACE_QUERIES = 40
# 29 + the pair's health (the rule, its row, changes, queue items, contacts) + pauses + observing a
# session (the rule, the coming sessions, their requests)
OVERVIEW_QUERIES = 38


@pytest.mark.parametrize("n", [1, 12])  # 12: more open actions than the section shows
def test_the_workspace_costs_the_same_whatever_the_history(client, pair, django_assert_num_queries, n):
    _mentor, mentee = people(pair)
    busy(pair, n)
    client.force_login(mentee)
    url = reverse("portal:workspace", args=[pair.public_id])
    with django_assert_num_queries(WORKSPACE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_the_overview_costs_the_same_whatever_the_history(
    client, pair, manager, django_assert_num_queries, n
):
    busy(pair, n)
    client.force_login(manager)
    url = reverse("portal:workspace", args=[pair.public_id])
    with django_assert_num_queries(OVERVIEW_QUERIES):
        assert client.get(url).status_code == 200


def test_a_manager_sees_activity_never_content(client, pair, manager):
    busy(pair, 2)
    seen = page(client, manager, pair)
    assert "Public speaking 0" in seen  # goal titles and status
    assert "Agreed on 2 Mar 2026" in seen
    assert "2 open, 0 done" in seen
    assert "2 check-ins · the last on 2 Mar 2026" in seen
    assert "2 messages, the last on 2 Mar 2026" in seen
    for what, secret in SECRETS.items():
        assert secret not in seen, what
    assert "Draft the talk outline" not in seen  # an action's text is the pair's


def test_a_closed_pairs_overview_names_the_category_never_the_reflection(client, pair, manager):
    mentor, _mentee = people(pair)
    closing.mentorship_close(
        mentorship=pair,
        user=mentor,
        outcome="ended",
        reason="schedules",
        thoughts=closing.Thoughts(achieved=SECRETS["reflection"], recommend="yes"),
    )
    seen = page(client, manager, pair)
    assert "schedules" in seen.lower()
    assert SECRETS["reflection"] not in seen
