"""The matching pages issue the same number of queries for a small cohort and a larger one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meridian.accounts.models import Profile
from meridian.matching import adapter
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.review import proposal_unmatch
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.services import start

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _world(manager, size):
    # A seed whose small cohort still has several pairs: the pins count pages that list pairs.
    cohort = demo_cohort(manager, mentees=size, mentors=max(2, size // 3), seed=size + 5)
    settings = {**adapter.default_settings(cohort), "constraints": {"min_shared_hours": 0}}
    run = run_start(cohort=cohort, actor=manager, settings=settings)
    run.refresh_from_db()
    assert run.matched >= 2, run.report.get("unmatched")
    return cohort, run


# session, user, run with cohort+program+creator, manager check, proposals: count, ids,
# rows with people, histogram scores, other runs, names two members share, the
# unmatched mentees of the report with their enrolments
REVIEW = 11
# session, user, the pair with its run, manager check, then the swaps in one batch: the
# problem's stamp (members, profiles, reporting tree, exclusions, current mentorships,
# mentors' room: offered and taken), the run's pairs with people, names two members share
SWAPS = 13
# session, user, cohort+program, manager check, runs, approved mentees, approved mentors
COHORT = 7
# session, user, mentorships with program+cohort, members with people
MENTORSHIPS = 4


@pytest.mark.parametrize("size", [6, 30])
def test_it_pins_the_review_page(client, manager, size):
    _, run = _world(manager, size)
    proposal_unmatch(proposal=run.proposals.order_by("pk").first())  # the report lists someone
    client.force_login(manager)
    assert run.matched > 0
    assert _queries(client, f"/runs/{run.public_id}/") == REVIEW
    assert _queries(client, f"/runs/{run.public_id}/?q=a") == REVIEW


@pytest.mark.parametrize("size", [6, 30])
def test_it_pins_the_swap_list_of_a_pair(client, manager, size):
    _, run = _world(manager, size)
    client.force_login(manager)
    pair = run.proposals.order_by("pk").first()
    url = f"/runs/{run.public_id}/pairs/{pair.mentee.public_id}/swaps/"
    client.get(url, headers={"HX-Request": "true"})  # the problem is built once, then reused
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"swap" in response.content.lower()
    assert len(captured) == SWAPS, [q["sql"][:80] for q in captured]


@pytest.mark.parametrize("size", [6, 30])
def test_it_pins_the_cohort_matching_page(client, manager, size):
    cohort, run = _world(manager, size)
    run_start(cohort=cohort, actor=manager, settings=run.settings)
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
            run_publish(run=run, actor=manager, notify=False)
        counts.append(len(captured))
        Profile.objects.update(external_id="")  # the next demo file reuses the HR ids
    assert counts[0] == counts[1], counts
