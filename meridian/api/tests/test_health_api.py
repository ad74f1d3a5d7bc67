"""The API's health and check-in queue: the program's managers read a pair's health and
work the queue (log a contact, snooze, resolve) through the same services as the pages;
the pair and other programs' managers get 404; bad input 400 in the one error shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meridian.api.tests.conftest import error_of
from meridian.engagement.models import ContactLog, Health, HealthChange, QueueItem
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Mona Manager")


@pytest.fixture
def at_risk(manager: Any) -> Any:
    pair = mentoring_pair(program=ProgramFactory(managers=[manager]))
    today = timezone.localdate()
    Health.objects.create(
        mentorship=pair,
        band="at_risk",
        score=21,
        band_since=today,
        assessed_on=today,
        reasons=["The mentee's message of 12 May is unanswered.", "No goals yet."],
        signals=["unanswered", "no_goals"],
    )
    HealthChange.objects.create(mentorship=pair, on=today, old_band="check_in", new_band="at_risk", score=21)
    QueueItem.objects.create(mentorship=pair, kind="at_risk", reason="Unanswered.", urgency=279, due_on=today)
    return pair


def test_a_manager_reads_a_pairs_health_and_the_pair_does_not(api, manager, at_risk):
    api.force_authenticate(manager)
    body = api.get(f"/api/v1/mentorships/{at_risk.public_id}/health/").json()
    assert (body["band"], body["score"], body["assessed"]) == ("at_risk", 21, True)
    assert body["reasons"][0] == "The mentee's message of 12 May is unanswered."
    assert body["signals"] == ["unanswered", "no_goals"]
    assert [c["new_band"] for c in body["changes"]] == ["at_risk"]
    for person in (*people(at_risk), UserFactory()):
        api.force_authenticate(person)
        assert api.get(f"/api/v1/mentorships/{at_risk.public_id}/health/").status_code == 404


def test_a_manager_works_the_queue_through_the_api(api, manager, at_risk):
    api.force_authenticate(manager)
    program = at_risk.program
    listed = api.get(f"/api/v1/programs/{program.public_id}/check-ins/").json()["results"]
    (item,) = listed
    assert (item["kind"], item["band"], item["score"]) == ("at_risk", "at_risk", 21)
    assert item["next_step"] == "Message the quiet partner: check they still have time for this."
    assert sorted(item["members"]) == sorted(p.name for p in people(at_risk))

    logged = api.post(
        f"/api/v1/check-ins/{item['id']}/contacts/", {"channel": "email", "outcome": "helped"}, format="json"
    )
    assert logged.status_code == 201
    assert ContactLog.objects.get().outcome == "helped"

    snoozed = api.post(f"/api/v1/check-ins/{item['id']}/snooze/", {"days": 14}, format="json")
    assert snoozed.json()["snoozed_until"] == (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    assert api.get(f"/api/v1/programs/{program.public_id}/check-ins/").json()["results"] == []

    resolved = api.post(f"/api/v1/check-ins/{item['id']}/resolve/")
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    again = api.post(f"/api/v1/check-ins/{item['id']}/resolve/")
    assert again.status_code == 400
    assert error_of(again)["message"] == "This pair was already marked resolved."


def test_bad_input_is_refused_in_the_one_error_shape(api, manager, at_risk):
    api.force_authenticate(manager)
    item = QueueItem.objects.get()
    bad = api.post(f"/api/v1/check-ins/{item.public_id}/snooze/", {"days": 5}, format="json")
    assert bad.status_code == 400
    assert "days" in error_of(bad)["fields"]
    bad = api.post(f"/api/v1/check-ins/{item.public_id}/contacts/", {"channel": "fax"}, format="json")
    assert set(error_of(bad)["fields"]) >= {"channel", "outcome"}
    assert not ContactLog.objects.exists()
    item.refresh_from_db()
    assert item.snoozed_until is None
