"""Every list page issues the same number of queries for a few rows and for many."""

from __future__ import annotations

import pytest

from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [2, 25])
def test_it_pins_the_cohort_member_list(client, django_assert_num_queries, rows):
    cohort = CohortFactory(status="running")
    member = EnrollmentFactory(cohort=cohort)
    EnrollmentFactory.create_batch(rows, cohort=cohort)
    client.force_login(member.user)
    # session, user, cohort+program, visibility, my enrolment, manager checks (2),
    # member check, members with profiles
    _count(client, django_assert_num_queries, f"/cohorts/{cohort.public_id}/", 9)


@pytest.mark.parametrize("rows", [1, 12])
def test_it_pins_the_program_page(client, django_assert_num_queries, rows):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    for _ in range(rows):
        EnrollmentFactory(cohort=CohortFactory(program=program))
    client.force_login(manager)
    # session, user, program, manager check, cohorts with counts, managers
    _count(client, django_assert_num_queries, f"/programs/{program.public_id}/", 6)


@pytest.mark.parametrize("rows", [1, 10])
def test_it_pins_the_home_page(client, django_assert_num_queries, rows):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    for _ in range(rows):
        cohort = CohortFactory(program=program)
        EnrollmentFactory(cohort=cohort, user=manager)
        CohortFactory(status="open")
    client.force_login(manager)
    # session, user, profile, managed?, managed programs with counts, my enrolments, open cohorts
    _count(client, django_assert_num_queries, "/", 7)


@pytest.mark.parametrize("rows", [1, 10])
def test_it_pins_the_invitation_list(client, django_assert_num_queries, rows):
    manager = UserFactory()
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]))
    for i in range(rows):
        cohort.invitations.create(email=f"p{i}@example.org", role="mentee")
    client.force_login(manager)
    # session, user, cohort+program, manager check, pending invitations
    _count(client, django_assert_num_queries, f"/cohorts/{cohort.public_id}/invite/", 5)
