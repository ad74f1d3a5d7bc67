from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.programs.models import Cohort, Program
from tests.factories import CohortFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PROGRAM = {
    "name": "Grow Together",
    "slug": "grow-together",
    "description": "",
    "kind": "one_to_one",
    "matching_mode": "both",
    "starts_on": "2026-01-05",
    "ends_on": "2026-07-05",
    "cadence_weeks": "2",
    "meeting_minutes": "45",
    "group_size": "1",
    "requests_per_mentee": "3",
    "answer_days": "7",
}


def test_it_lets_a_program_manager_create_a_program_and_manage_it(client):
    manager = UserFactory(can_create_programs=True)
    client.force_login(manager)
    response = client.post("/programs/new/", PROGRAM)
    program = Program.objects.get(slug="grow-together")
    assert response.status_code == 302
    assert list(program.managers.all()) == [manager]
    assert program.matching_mode == "both"


def test_it_refuses_program_creation_to_a_participant(client):
    client.force_login(UserFactory())
    assert client.post("/programs/new/", PROGRAM).status_code == 403
    assert not Program.objects.exists()


def test_it_names_the_field_when_dates_are_in_the_wrong_order(client):
    client.force_login(UserFactory(can_create_programs=True))
    response = client.post("/programs/new/", {**PROGRAM, "ends_on": "2025-01-01"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert response.context["form"].errors["ends_on"]
    assert not Program.objects.exists()


def test_it_rejects_a_cadence_outside_one_to_four_weeks(client):
    client.force_login(UserFactory(can_create_programs=True))
    response = client.post("/programs/new/", {**PROGRAM, "cadence_weeks": "9"})
    assert "cadence_weeks" in response.context["form"].errors


def test_it_adds_a_cohort_with_a_slug_unique_in_its_program(client):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    CohortFactory(program=program, slug="spring")
    client.force_login(manager)
    data = {
        "name": "Spring",
        "slug": "spring",
        "starts_on": "2026-02-01",
        "ends_on": "2026-06-01",
        "status": "open",
    }
    response = client.post(f"/programs/{program.public_id}/cohorts/new/", data)
    assert "slug" in response.context["form"].errors
    response = client.post(f"/programs/{program.public_id}/cohorts/new/", {**data, "slug": "autumn"})
    assert response.status_code == 302
    assert Cohort.objects.get(program=program, slug="autumn").status == "open"


def test_it_lets_only_managers_edit_a_program(client):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    client.force_login(UserFactory())
    assert client.post(f"/programs/{program.public_id}/edit/", {**PROGRAM, "name": "X"}).status_code == 404
    client.force_login(manager)
    response = client.post(f"/programs/{program.public_id}/edit/", {**PROGRAM, "name": "Renamed"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Renamed"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(sorted(PROGRAM)), st.text(max_size=300), max_size=10))
def test_it_never_fails_on_hostile_program_input(client, data):
    user = UserFactory(can_create_programs=True)
    client.force_login(user)
    response = client.post("/programs/new/", {**PROGRAM, **data})
    assert response.status_code in (200, 302)


def test_it_lists_only_programs_a_person_may_see(client):
    mine = CohortFactory(status="running")
    CohortFactory(status="running")  # someone else's, not open
    open_one = CohortFactory(status="open")
    user = UserFactory()
    mine.enrollments.create(user=user, role="mentee", status="approved")
    client.force_login(user)
    names = {p.name for p in client.get("/programs/").context["programs"]}
    assert names == {mine.program.name, open_one.program.name}


def test_it_pins_the_query_count_of_the_program_list(client, django_assert_num_queries):
    admin = UserFactory(is_staff=True)
    for _ in range(3):
        CohortFactory()
    client.force_login(admin)
    with django_assert_num_queries(3):  # session, user, programs with counts
        client.get("/programs/")
    for _ in range(12):
        CohortFactory(program=ProgramFactory(starts_on=dt.date(2026, 1, 1)))
    with django_assert_num_queries(3):
        client.get("/programs/")


@pytest.mark.parametrize(
    ("kind", "says", "never"), [("group", "Groups meet", "Pairs"), ("one_to_one", "Pairs meet", "Groups")]
)
def test_the_program_page_names_who_meets_by_the_program_kind(client, kind, says, never):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager], kind=kind, group_size=4 if kind == "group" else 1)
    client.force_login(manager)
    page = client.get(f"/programs/{program.public_id}/").content.decode()
    assert f"<dt>{says}</dt>" in page
    assert f"<dt>{never} meet</dt>" not in page
