from __future__ import annotations

import pytest

from meridian.api.tests.conftest import error_of
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows(response):
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def test_it_refuses_anonymous_visitors(client, world):
    for url in ("/api/v1/enrollments/", f"/api/v1/enrollments/{world.mentee.public_id}/"):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert error_of(response)["code"] == "not_authenticated"


def test_it_lists_a_member_their_own_and_their_approved_cohort_mates(client, world):
    client.force_login(world.mentee.user)
    listed = rows(client.get("/api/v1/enrollments/"))
    assert set(listed) == {str(world.mentee.public_id), str(world.mentor.public_id)}


def test_it_lists_an_applicant_only_their_own_enrollment(client, world):
    client.force_login(world.applicant.user)
    assert set(rows(client.get("/api/v1/enrollments/"))) == {str(world.applicant.public_id)}


def test_it_lists_nothing_to_an_outsider(client, world):
    client.force_login(world.outsider)
    assert rows(client.get("/api/v1/enrollments/")) == {}


def test_it_lists_a_manager_only_their_programs_enrollments(client, world):
    client.force_login(world.manager_a)
    listed = rows(client.get("/api/v1/enrollments/"))
    assert set(listed) == {str(e.public_id) for e in (world.mentee, world.mentor, world.applicant)}
    assert {row["program"] for row in listed.values()} == {str(world.program_a.public_id)}


def test_it_lists_every_enrollment_to_an_administrator(client, world):
    client.force_login(world.admin)
    assert len(rows(client.get("/api/v1/enrollments/"))) == 4


def test_it_hides_fellow_members_emails_from_a_participant(client, world):
    client.force_login(world.mentee.user)
    listed = rows(client.get("/api/v1/enrollments/"))
    mate = listed[str(world.mentor.public_id)]["person"]
    assert mate["email"] is None
    assert mate["department"] is None
    assert mate["name"] == "Max Mentor"
    assert mate["title"] == "Analyst"
    assert world.mentor.user.email not in str(listed)


def test_it_shows_a_participant_their_own_email(client, world):
    client.force_login(world.mentee.user)
    me = rows(client.get("/api/v1/enrollments/"))[str(world.mentee.public_id)]["person"]
    assert me["email"] == world.mentee.user.email
    assert me["department"] == "Finance"


def test_it_shows_the_programs_manager_every_email(client, world):
    client.force_login(world.manager_a)
    listed = rows(client.get("/api/v1/enrollments/"))
    assert {row["person"]["email"] for row in listed.values()} == {
        e.user.email for e in (world.mentee, world.mentor, world.applicant)
    }


def test_it_hides_emails_from_a_manager_in_a_program_they_only_take_part_in(client, world):
    EnrollmentFactory(cohort=world.cohort_b, user=world.manager_a)
    client.force_login(world.manager_a)
    listed = rows(client.get("/api/v1/enrollments/"))
    beta = listed[str(world.beta_member.public_id)]["person"]
    assert beta["email"] is None
    assert listed[str(world.mentee.public_id)]["person"]["email"] == world.mentee.user.email


def test_it_shows_an_administrator_emails(client, world):
    client.force_login(world.admin)
    listed = rows(client.get("/api/v1/enrollments/"))
    assert listed[str(world.beta_member.public_id)]["person"]["email"] == world.beta_member.user.email
    body = client.get(f"/api/v1/enrollments/{world.beta_member.public_id}/").json()
    assert body["person"]["email"] == world.beta_member.user.email


def test_it_shows_an_enrollment_in_full(client, world):
    client.force_login(world.manager_a)
    body = client.get(f"/api/v1/enrollments/{world.mentor.public_id}/").json()
    user = world.mentor.user
    assert body == {
        "id": str(world.mentor.public_id),
        "cohort": str(world.cohort_a.public_id),
        "program": str(world.program_a.public_id),
        "role": "mentor",
        "status": "approved",
        "capacity": 1,
        "created_at": body["created_at"],
        "person": {
            "id": str(user.public_id),
            "name": user.name,
            "email": user.email,
            "time_zone": "Europe/London",
            "title": "Analyst",
            "department": "Finance",
        },
    }
    assert body["created_at"].endswith("Z")


def test_it_hides_a_cohort_mates_email_on_the_detail(client, world):
    client.force_login(world.mentee.user)
    body = client.get(f"/api/v1/enrollments/{world.mentor.public_id}/").json()
    assert body["person"]["email"] is None


def test_it_answers_404_for_an_enrollment_one_may_not_see(client, world):
    client.force_login(world.mentee.user)
    for hidden in (world.applicant, world.beta_member):
        response = client.get(f"/api/v1/enrollments/{hidden.public_id}/")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_it_copes_with_a_person_without_a_profile(client, world):
    world.mentor.user.profile.delete()
    client.force_login(world.manager_a)
    person = rows(client.get("/api/v1/enrollments/"))[str(world.mentor.public_id)]["person"]
    assert (person["title"], person["department"]) == ("", "")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "mentor"}, {"mentor"}),
        ({"status": "applied"}, {"applicant"}),
        ({"status": "approved", "role": "mentee"}, {"mentee"}),
        ({"q": "max"}, {"mentor"}),
        ({"q": "  ABE "}, {"applicant"}),
        ({"q": ""}, {"mentee", "mentor", "applicant"}),
    ],
)
def test_it_filters_enrollments(client, world, params, expected):
    client.force_login(world.manager_a)
    wanted = {str(getattr(world, name).public_id) for name in expected}
    assert set(rows(client.get("/api/v1/enrollments/", params))) == wanted


def test_it_filters_enrollments_by_cohort_and_program(client, world):
    EnrollmentFactory(cohort=world.cohort_b, user=world.manager_a)
    client.force_login(world.manager_a)
    in_b = {str(world.beta_member.public_id), str(world.manager_a.enrollments.get().public_id)}
    assert set(rows(client.get("/api/v1/enrollments/", {"cohort": str(world.cohort_b.public_id)}))) == in_b
    assert set(rows(client.get("/api/v1/enrollments/", {"program": str(world.program_b.public_id)}))) == in_b
    assert len(rows(client.get("/api/v1/enrollments/", {"program": str(world.program_a.public_id)}))) == 3


def test_it_finds_people_by_email_for_a_manager(client, world):
    client.force_login(world.manager_a)
    found = rows(client.get("/api/v1/enrollments/", {"q": world.mentor.user.email.upper()}))
    assert set(found) == {str(world.mentor.public_id)}


def test_it_does_not_let_a_participant_search_by_a_hidden_email(client, world):
    client.force_login(world.mentee.user)
    assert rows(client.get("/api/v1/enrollments/", {"q": world.mentor.user.email})) == {}
    own = rows(client.get("/api/v1/enrollments/", {"q": world.mentee.user.email}))
    assert set(own) == {str(world.mentee.public_id)}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cohort": "abc"}, "cohort"),
        ({"program": "1"}, "program"),
        ({"role": "boss"}, "role"),
        ({"status": "pending"}, "status"),
        ({"q": "x" * 201}, "q"),
        ({"q": "nul\x00byte"}, "q"),
    ],
)
def test_it_answers_400_in_the_error_shape_to_bad_enrollment_filters(client, world, params, field):
    client.force_login(world.manager_a)
    response = client.get("/api/v1/enrollments/", params)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert error["message"]


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_enrollments_in_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    manager = UserFactory()
    cohort = EnrollmentFactory(user=manager, cohort__program__managers=[manager]).cohort
    EnrollmentFactory.create_batch(count - 1, cohort=cohort)
    client.force_login(manager)
    # session, user, count, page ids, rows (cohort, program, user, profile joined), managed program ids
    with django_assert_num_queries(6):
        response = client.get("/api/v1/enrollments/")
    assert response.json()["count"] == count
    assert all(row["person"]["email"] for row in response.json()["results"])


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_a_participant_their_cohort_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    member = EnrollmentFactory()
    EnrollmentFactory.create_batch(count - 1, cohort=member.cohort)
    client.force_login(member.user)
    with django_assert_num_queries(6):
        response = client.get("/api/v1/enrollments/", {"status": "approved"})
    assert response.json()["count"] == count
