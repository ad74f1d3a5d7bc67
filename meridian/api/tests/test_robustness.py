"""Whatever the query string, the API answers in its own terms, never with a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import EnrollmentFactory

LISTS = [
    "/api/v1/programs/",
    "/api/v1/cohorts/",
    "/api/v1/enrollments/",
    "/api/v1/mentorships/",
    "/api/v1/match-runs/",
]
KNOWN = ["cohort", "program", "role", "status", "q", "page", "page_size"]
params = st.dictionaries(st.sampled_from(KNOWN) | st.text(max_size=10), st.text(max_size=60), max_size=5)


@pytest.fixture
def member(db):
    return EnrollmentFactory().user


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(LISTS), query=params)
def test_it_never_answers_500_to_random_query_strings(client, member, url, query):
    client.force_login(member)
    response = client.get(url, query)
    assert response.status_code in (200, 400, 404), response.content
    if response.status_code != 200:
        assert set(response.json()) == {"error"}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["programs", "cohorts", "enrollments", "mentorships", "match-runs"]),
    public_id=st.text(min_size=1),
)
def test_it_never_answers_500_to_random_ids(client, member, kind, public_id):
    client.force_login(member)
    response = client.get(f"/api/v1/{kind}/{quote(public_id, safe='')}/")
    assert response.status_code in (200, 404)
