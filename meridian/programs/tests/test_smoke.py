from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import CohortFactory, EnrollmentFactory, UserFactory


@pytest.mark.django_db
def test_it_runs_on_the_chosen_database(request):
    assert (
        connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[request.config.getoption("--db")]
    )


@pytest.mark.django_db
def test_it_shows_a_member_their_cohort(client):
    enrollment = EnrollmentFactory(cohort=CohortFactory(status="running"))
    client.force_login(enrollment.user)
    response = client.get(f"/cohorts/{enrollment.cohort.public_id}/")
    assert response.status_code == 200
    assert enrollment.user.name in response.content.decode()


@pytest.mark.django_db
def test_it_hides_a_cohort_from_an_outsider(client):
    enrollment = EnrollmentFactory(cohort=CohortFactory(status="running"))
    client.force_login(UserFactory())
    assert client.get(f"/cohorts/{enrollment.cohort.public_id}/").status_code == 404
