"""Capacity holds when mentors' accepts arrive at the same moment.

On PostgreSQL (``--db postgres``) five threads, each with its own connection, accept at
once behind a barrier; row locks must serialise them. SQLite has one writer at a time
(its shared-cache test database refuses concurrent writers outright), so there the same
accepts run one after another and the same outcome is asserted."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from meridian.core.errors import MeridianError
from meridian.matching import selfselect
from meridian.matching.models import MentorRequest, RequestStatus
from meridian.matching.tests.test_selfselect import friendly_cohort
from meridian.mentorships.models import Member, Mentorship

pytestmark = pytest.mark.django_db(transaction=True)

MENTEES = 5
CAPACITY = 2


def _requests():
    cohort = friendly_cohort(mentees=MENTEES, mentors=1, capacity=CAPACITY, requests_per_mentee=1)
    mentor = cohort.enrollments.get(role="mentor")
    made = []
    for mentee in cohort.enrollments.filter(role="mentee"):
        made += selfselect.requests_create(mentee=mentee, mentors=[mentor])
    return mentor, made


def _accept_at_once(made: list[MentorRequest]) -> list[str]:
    barrier = threading.Barrier(len(made))
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(request: MentorRequest) -> None:
        from django.db import connection as own  # each thread has its own connection

        try:
            barrier.wait(timeout=10)
            selfselect.request_accept(mentor_request=request)
            result = "accepted"
        except MeridianError as error:
            result = f"refused: {error}"
        except Exception as error:  # a deadlock or a 500 would land here
            result = f"crashed: {type(error).__name__}: {error}"
        finally:
            own.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=accept, args=(r,)) for r in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _accept_in_turn(made: list[MentorRequest]) -> list[str]:
    outcomes = []
    for request in made:
        try:
            selfselect.request_accept(mentor_request=request)
            outcomes.append("accepted")
        except MeridianError as error:
            outcomes.append(f"refused: {error}")
    return outcomes


def test_simultaneous_accepts_never_exceed_the_mentors_capacity(pytestconfig):
    if pytestconfig.getoption("--db") == "postgres":
        assert connection.vendor == "postgresql"  # the threaded path really runs there
    mentor, made = _requests()
    concurrent = connection.vendor == "postgresql"
    outcomes = _accept_at_once(made) if concurrent else _accept_in_turn(made)

    assert len(outcomes) == MENTEES, outcomes
    assert not [o for o in outcomes if o.startswith("crashed")], outcomes
    assert outcomes.count("accepted") == CAPACITY, outcomes
    mentees = Member.objects.filter(role="mentee", is_current=True, mentorship__members__enrollment=mentor)
    assert mentees.count() == CAPACITY
    assert Mentorship.objects.filter(members__enrollment=mentor).count() == CAPACITY
    statuses = sorted(MentorRequest.objects.filter(mentor=mentor).values_list("status", flat=True))
    assert statuses == sorted(
        [RequestStatus.ACCEPTED] * CAPACITY + [RequestStatus.DECLINED] * (MENTEES - CAPACITY)
    )


def test_one_mentee_accepted_by_two_mentors_at_once_gets_one_mentorship():
    cohort = friendly_cohort(mentees=1, mentors=2, capacity=3, requests_per_mentee=2)
    mentee = cohort.enrollments.get(role="mentee")
    made = selfselect.requests_create(mentee=mentee, mentors=list(cohort.enrollments.filter(role="mentor")))
    concurrent = connection.vendor == "postgresql"
    outcomes = _accept_at_once(made) if concurrent else _accept_in_turn(made)
    assert outcomes.count("accepted") == 1, outcomes
    assert not [o for o in outcomes if o.startswith("crashed")], outcomes
    assert Member.objects.filter(enrollment=mentee, is_current=True).count() == 1
    statuses = sorted(MentorRequest.objects.filter(mentee=mentee).values_list("status", flat=True))
    assert statuses == [RequestStatus.ACCEPTED, RequestStatus.CLOSED]
