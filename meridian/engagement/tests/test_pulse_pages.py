"""The pulse on the relationship's page and in the API: the person asked sees their card
and answers it (any question alone); the partner never sees those answers, the program's
managers get no card, and nobody answers someone else's pulse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from meridian.engagement import pulse
from meridian.engagement.models import Pulse
from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}


def text(response: Any) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def opened(pair: Any, clock: Any) -> Any:
    """Day 14: both have their first pulse open."""
    clock.move_to(NOW + dt.timedelta(days=14))
    pulse.plan(now=NOW + dt.timedelta(days=14))
    return pair


def workspace(client: Any, user: Any, pair: Any) -> str:
    client.force_login(user)
    answer = client.get(reverse("portal:workspace", args=[pair.public_id]))
    assert answer.status_code == 200
    return text(answer)


def test_the_card_shows_while_the_pulse_is_open_with_its_close_on_the_persons_clock(
    client: Any, opened: Any, clock: Any
) -> None:
    _mentor, mentee = people(opened)
    seen = workspace(client, mentee, opened)
    assert 'id="pulse-card"' in seen
    assert "Open until Monday 30 March, 13:45, your time (Asia/Kathmandu)" in seen
    assert "never your partner" in seen
    clock.move_to(NOW + dt.timedelta(days=28, hours=1))
    assert 'id="pulse-card"' not in workspace(client, mentee, opened)


def test_no_card_before_the_pulse_nor_for_the_program_team(client: Any, pair: Any, clock: Any) -> None:
    _mentor, mentee = people(pair)
    assert 'id="pulse-card"' not in workspace(client, mentee, pair)
    clock.move_to(NOW + dt.timedelta(days=14))
    pulse.plan(now=NOW + dt.timedelta(days=14))
    manager = UserFactory()
    pair.program.managers.add(manager)
    assert 'id="pulse-card"' not in workspace(client, manager, pair)


def test_the_mentee_answers_on_the_card_and_the_partner_never_sees_it(client: Any, opened: Any) -> None:
    mentor, mentee = people(opened)
    mine = Pulse.objects.get(user=mentee)
    client.force_login(mentee)
    url = reverse("engagement:pulse_answer", args=[mine.public_id])
    answer = client.post(url, {"rating": "2", "met": "partly"}, headers=HTMX)
    assert answer.status_code == 200
    seen = text(answer)
    assert "your answers are saved" in seen
    assert "What happens next" not in seen
    mine.refresh_from_db()
    assert (mine.rating, mine.met, mine.wants_continue) == (2, "partly", "")

    answer = client.post(url, {"wants_continue": "no"}, headers=HTMX)
    seen = text(answer)
    assert "What happens next" in seen
    assert "nothing ends automatically" in seen
    assert reverse("mentorships:close", args=[opened.public_id]) in seen
    mine.refresh_from_db()
    assert (mine.rating, mine.met, mine.wants_continue) == (2, "partly", "no")  # the others stay

    partner_page = workspace(client, mentor, opened)
    assert 'id="pulse-card"' in partner_page  # their own, unanswered
    assert "checked" not in partner_page.split('id="pulse-card"')[1].split("</section>")[0]
    assert "What happens next" not in partner_page
    assert client.post(url, {"rating": "5"}, headers=HTMX).status_code == 404  # not theirs
    mine.refresh_from_db()
    assert mine.rating == 2


def test_a_bad_answer_is_refused_beside_its_field(client: Any, opened: Any) -> None:
    _mentor, mentee = people(opened)
    mine = Pulse.objects.get(user=mentee)
    client.force_login(mentee)
    url = reverse("engagement:pulse_answer", args=[mine.public_id])
    answer = text(client.post(url, {"rating": "9"}, headers=HTMX))
    assert 'id="id_rating_error"' in answer
    answer = client.post(url, {})  # a plain POST with nothing picked
    assert answer.status_code == 400
    assert "Pick at least one answer." in text(answer)
    plain = client.post(url, {"met": "yes"})
    assert plain.status_code == 302
    assert plain["Location"] == reverse("portal:workspace", args=[opened.public_id])
    mine.refresh_from_db()
    assert (mine.rating, mine.met) == (None, "yes")


# ---------------------------------------------------------------- the API


def test_the_api_lists_ones_own_open_pulses_and_answers_one(client: Any, opened: Any, clock: Any) -> None:
    mentor, mentee = people(opened)
    mine = Pulse.objects.get(user=mentee)
    client.force_login(mentee)
    listed = client.get("/api/v1/me/pulses/").json()
    assert [p["id"] for p in listed] == [str(mine.public_id)]
    assert listed[0]["mentorship"] == str(opened.public_id)
    assert dt.datetime.fromisoformat(listed[0]["closes_at"]) == NOW + dt.timedelta(days=28)
    url = f"/api/v1/pulses/{mine.public_id}/"
    answered = client.post(url, {"rating": 4, "wants_continue": "unsure"}, content_type="application/json")
    assert answered.status_code == 200
    assert (answered.json()["rating"], answered.json()["wants_continue"]) == (4, "unsure")
    bad = client.post(url, {"met": "sometimes"}, content_type="application/json")
    assert bad.status_code == 400
    assert "met" in bad.json()["error"]["fields"]
    assert client.post(url, {}, content_type="application/json").status_code == 400

    client.force_login(mentor)
    assert [p["id"] for p in client.get("/api/v1/me/pulses/").json()] != [str(mine.public_id)]
    assert client.post(url, {"rating": 1}, content_type="application/json").status_code == 404
    clock.move_to(NOW + dt.timedelta(days=29))
    client.force_login(mentee)
    assert client.get("/api/v1/me/pulses/").json() == []
    closed = client.post(url, {"rating": 1}, content_type="application/json")
    assert closed.status_code == 400
    assert "closed" in closed.json()["error"]["message"]
    assert Pulse.objects.get(pk=mine.pk).rating == 4
