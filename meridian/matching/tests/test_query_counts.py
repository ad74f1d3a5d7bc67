"""The matching pages issue the same number of queries for a small cohort and a larger one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meridian.matching import adapter, services
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.services import start

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _world(manager, size):
    cohort = demo_cohort(manager, mentees=size, mentors=max(2, size // 3), seed=size)
    settings = {**adapter.default_settings(cohort), "constraints": {"min_shared_hours": 0}}
    run = services.start_run(cohort=cohort, actor=manager, settings=settings)
    run.refresh_from_db()
    return cohort, run


# session, user, run with cohort+program+creator, manager check, proposals: count, ids,
# rows with people, histogram scores, other runs
REVIEW = 9
# session, user, cohort+program, manager check, runs, approved mentees, approved mentors
COHORT = 7
# session, user, mentorships with program+cohort, members with people
MENTORSHIPS = 4


@pytest.mark.parametrize("size", [6, 30])
def test_it_pins_the_review_page(client, manager, size):
    _, run = _world(manager, size)
    client.force_login(manager)
    assert run.matched > 0
    assert _queries(client, f"/runs/{run.public_id}/") == REVIEW
    assert _queries(client, f"/runs/{run.public_id}/?q=a") == REVIEW


@pytest.mark.parametrize("size", [6, 30])
def test_it_pins_the_cohort_matching_page(client, manager, size):
    cohort, run = _world(manager, size)
    services.start_run(cohort=cohort, actor=manager, settings=run.settings)
    client.force_login(manager)
    assert _queries(client, f"/cohorts/{cohort.public_id}/matching/") == COHORT


@pytest.mark.parametrize("size", [1, 5])
def test_it_pins_my_mentorships(client, manager, size):
    cohort, _ = _world(manager, 6)
    mentor = cohort.enrollments.filter(role="mentor").first()
    mentor.capacity = 10
    mentor.save()
    mentees = list(cohort.enrollments.filter(role="mentee")[:size])
    for mentee in mentees:
        start(mentor=mentor, mentees=[mentee])
    client.force_login(mentor.user)
    assert _queries(client, "/mentorships/") == MENTORSHIPS


def test_publishing_costs_the_same_queries_for_few_pairs_and_many(manager):
    counts = []
    for size in (6, 30):
        _, run = _world(manager, size)
        assert run.matched > 0
        with CaptureQueriesContext(connection) as captured:
            services.publish(run=run, actor=manager, notify=False)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
