from __future__ import annotations

import pytest

from meridian.api.tests.conftest import error_of
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_it_refuses_anonymous_visitors_everywhere(client, world):
    for url in (
        "/api/v1/programs/",
        f"/api/v1/programs/{world.program_a.public_id}/",
        "/api/v1/cohorts/",
        f"/api/v1/cohorts/{world.cohort_a.public_id}/",
    ):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert error_of(response)["code"] == "not_authenticated"


def test_it_lists_the_programs_a_member_takes_part_in_and_open_ones(client, world):
    client.force_login(world.mentee.user)
    assert ids(client.get("/api/v1/programs/")) == {
        str(world.program_a.public_id),
        str(world.program_open.public_id),
    }


def test_it_lists_only_open_programs_to_an_outsider(client, world):
    client.force_login(world.outsider)
    assert ids(client.get("/api/v1/programs/")) == {str(world.program_open.public_id)}


def test_it_lists_a_managers_own_programs_not_other_managers(client, world):
    client.force_login(world.manager_a)
    assert str(world.program_b.public_id) not in ids(client.get("/api/v1/programs/"))


def test_it_lists_every_program_to_an_administrator(client, world):
    client.force_login(world.admin)
    expected = {str(p.public_id) for p in (world.program_a, world.program_b, world.program_open)}
    assert ids(client.get("/api/v1/programs/")) == expected


def test_it_paginates_lists_in_one_shape(client, world):
    client.force_login(world.mentee.user)
    body = client.get("/api/v1/programs/", {"page_size": 1}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"]


def test_it_shows_a_program_with_its_public_id_as_id(client, world):
    client.force_login(world.mentee.user)
    body = client.get(f"/api/v1/programs/{world.program_a.public_id}/").json()
    assert body["id"] == str(world.program_a.public_id)
    assert set(body) == {
        "id",
        "name",
        "slug",
        "description",
        "kind",
        "matching_mode",
        "starts_on",
        "ends_on",
        "cadence_weeks",
        "meeting_minutes",
        "group_size",
        "separate_departments",
        "requests_per_mentee",
        "answer_days",
    }


def test_it_answers_404_for_a_program_an_outsider_may_not_see(client, world):
    client.force_login(world.outsider)
    response = client.get(f"/api/v1/programs/{world.program_a.public_id}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_it_answers_404_in_the_error_shape_for_a_malformed_id(client, world):
    client.force_login(world.mentee.user)
    for url in ("/api/v1/programs/42/", "/api/v1/cohorts/nope/", "/api/v1/enrollments/1/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert error_of(response)["code"] == "not_found"


def test_it_lists_the_cohorts_a_member_may_see(client, world):
    client.force_login(world.mentee.user)
    assert ids(client.get("/api/v1/cohorts/")) == {
        str(world.cohort_a.public_id),
        str(world.cohort_open.public_id),
    }


def test_it_hides_draft_cohorts_of_a_visible_program_from_members(client, world):
    draft = CohortFactory.create(program=world.program_a, status="draft")
    client.force_login(world.mentee.user)
    assert str(draft.public_id) not in ids(client.get("/api/v1/cohorts/"))
    client.force_login(world.manager_a)
    assert str(draft.public_id) in ids(client.get("/api/v1/cohorts/"))


def test_it_filters_cohorts_by_program_and_status(client, world):
    client.force_login(world.beta_member.user)
    by_program = client.get("/api/v1/cohorts/", {"program": str(world.program_b.public_id)})
    assert ids(by_program) == {str(world.cohort_b.public_id)}
    assert ids(client.get("/api/v1/cohorts/", {"status": "open"})) == {str(world.cohort_open.public_id)}
    assert len(ids(client.get("/api/v1/cohorts/", {"status": ""}))) == 2


def test_it_shows_a_cohort_with_its_program_id(client, world):
    client.force_login(world.mentor.user)
    body = client.get(f"/api/v1/cohorts/{world.cohort_a.public_id}/").json()
    assert body == {
        "id": str(world.cohort_a.public_id),
        "program": str(world.program_a.public_id),
        "name": world.cohort_a.name,
        "slug": world.cohort_a.slug,
        "starts_on": world.cohort_a.starts_on.isoformat(),
        "ends_on": world.cohort_a.ends_on.isoformat(),
        "status": "running",
    }


def test_it_answers_404_for_a_cohort_an_outsider_may_not_see(client, world):
    client.force_login(world.outsider)
    assert client.get(f"/api/v1/cohorts/{world.cohort_a.public_id}/").status_code == 404
    assert client.get(f"/api/v1/cohorts/{world.cohort_open.public_id}/").status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"program": "not-a-uuid"}, "program"),
        ({"program": "42"}, "program"),
        ({"status": "sleeping"}, "status"),
    ],
)
def test_it_answers_400_in_the_error_shape_to_bad_cohort_filters(client, world, params, field):
    client.force_login(world.mentee.user)
    response = client.get("/api/v1/cohorts/", params)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_cohorts_in_a_fixed_number_of_queries(client, world, django_assert_num_queries, rows):
    CohortFactory.create_batch(rows, program=world.program_a)
    client.force_login(world.manager_a)
    # session, user, count, rows (program joined)
    with django_assert_num_queries(4):
        assert client.get("/api/v1/cohorts/").status_code == 200
