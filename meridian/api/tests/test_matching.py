"""The matching API: a manager starts, reads and publishes runs; people read their mentorships."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching_engine.problem import CRITERIA
from meridian.api.tests.conftest import error_of
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(name="Mara Manager")


@pytest.fixture
def cohort(manager):
    return demo_cohort(manager, mentees=12, mentors=6)


def test_a_manager_starts_reads_and_publishes_a_run(
    client, manager, cohort, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    body = {"cohort": str(cohort.public_id), "weights": {"skills": 3}, "constraints": {"min_shared_hours": 0}}
    response = client.post("/api/v1/match-runs/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "done"
    assert run["number"] == 1
    assert run["settings"]["weights"]["skills"] == 3
    assert run["settings"]["weights"]["values"] == 1.0
    detail = client.get(f"/api/v1/match-runs/{run['id']}/").json()
    assert detail["report"]["certificate"]["proven"] is True
    pairs = client.get(f"/api/v1/match-runs/{run['id']}/pairs/").json()
    assert pairs["count"] == run["matched"] > 0
    first = pairs["results"][0]
    assert set(first["components"]) == {"values", "skills", "hours", "languages", "seniority", "channels"}
    assert first["summary"]
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"/api/v1/match-runs/{run['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["mentees"] == run["matched"]
    again = client.post(f"/api/v1/match-runs/{run['id']}/publish/")
    assert again.json()["mentees"] == 0
    listed = client.get("/api/v1/mentorships/", {"cohort": str(cohort.public_id)}).json()
    assert listed["count"] == published.json()["mentorships"]


def test_people_see_only_their_own_mentorships_and_no_runs(client, manager, cohort):
    client.force_login(manager)
    run = client.post(
        "/api/v1/match-runs/",
        {"cohort": str(cohort.public_id), "constraints": {"min_shared_hours": 0}},
        content_type="application/json",
    ).json()
    client.post(f"/api/v1/match-runs/{run['id']}/publish/")
    member = Member.objects.filter(role="mentee").select_related("user", "mentorship").first()
    assert member is not None
    client.force_login(member.user)
    mine = client.get("/api/v1/mentorships/").json()
    assert [m["id"] for m in mine["results"]] == [str(member.mentorship.public_id)]
    assert client.get("/api/v1/match-runs/").json()["count"] == 0
    assert client.get(f"/api/v1/match-runs/{run['id']}/").status_code == 404
    assert client.post(f"/api/v1/match-runs/{run['id']}/publish/").status_code == 404
    started = client.post(
        "/api/v1/match-runs/", {"cohort": str(cohort.public_id)}, content_type="application/json"
    )
    assert started.status_code == 404
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(f"/api/v1/mentorships/{member.mentorship.public_id}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "cohort"),
        ({"cohort": "not-a-uuid"}, "cohort"),
        ({"weights": {"skills": -1}}, "weights"),
        ({"weights": {"skills": 1e9}}, "weights"),
        (
            {"weights": dict.fromkeys(CRITERIA, 0)},
            "weights",
        ),
        ({"mode": "random"}, "mode"),
        ({"objective": "fun"}, "objective"),
        ({"constraints": {"min_shared_hours": "lots"}}, "constraints"),
        ({"constraints": {"min_shared_hours": 500}}, "constraints"),
    ],
)
def test_bad_settings_get_400_naming_the_field(client, manager, cohort, body, field):
    client.force_login(manager)
    body = {"cohort": str(cohort.public_id), **body} if field != "cohort" else body
    response = client.post("/api/v1/match-runs/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["cohort", "weights", "constraints", "mode", "x"]), st.text(max_size=40)
    )
)
def test_random_bodies_never_answer_500(client, manager, cohort, body):
    client.force_login(manager)
    response = client.post("/api/v1/match-runs/", body, content_type="application/json")
    assert response.status_code in (201, 400, 404)
