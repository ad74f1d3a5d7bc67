"""Two accepts of the agreement at the same moment: a group's two mentees accept the
mentor's proposal at once, and one mentee's accept arrives twice. On PostgreSQL
(``--db postgres``) threads with their own connections wait at a barrier; the row lock on
the mentorship serialises them. SQLite has one writer at a time, so there the same accepts
run in turn and the same outcome is asserted."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection

from meridian.core.errors import MeridianError
from meridian.mentorships import agreement
from meridian.mentorships.models import AgreementAcceptance, AgreementVersion
from meridian.mentorships.services import start
from meridian.mentorships.tests.test_agreement import terms
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _group() -> tuple[Any, Any, list[Any]]:
    cohort = CohortFactory(program=ProgramFactory(kind="group", group_size=3), status="running")
    mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=3)
    mentees = [EnrollmentFactory(cohort=cohort, role="mentee") for _ in range(2)]
    mentorship = start(mentor=mentor, mentees=mentees).mentorship
    return mentorship, mentor.user, [m.user for m in mentees]


def _at_once(calls: Sequence[Callable[[], Any]]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        from django.db import connection as own

        try:
            barrier.wait(timeout=10)
            call()
            result = "accepted"
        except MeridianError as error:
            result = f"refused: {error}"
        except Exception as error:  # a deadlock or an integrity error would land here
            result = f"crashed: {type(error).__name__}: {error}"
        finally:
            own.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _in_turn(calls: Sequence[Callable[[], Any]]) -> list[str]:
    outcomes = []
    for call in calls:
        try:
            call()
            outcomes.append("accepted")
        except MeridianError as error:
            outcomes.append(f"refused: {error}")
    return outcomes


def _run(calls: Sequence[Callable[[], Any]]) -> list[str]:
    return _at_once(calls) if connection.vendor == "postgresql" else _in_turn(calls)


def test_two_mentees_accepting_at_once_both_count_and_the_version_is_agreed(pytestconfig):
    if pytestconfig.getoption("--db") == "postgres":
        assert connection.vendor == "postgresql"  # the threaded path really runs there
    mentorship, mentor, mentees = _group()
    agreement.agreement_propose(mentorship=mentorship, user=mentor, terms=terms())
    outcomes = _run(
        [
            functools.partial(agreement.agreement_accept, mentorship=mentorship, user=m, number=1)
            for m in mentees
        ]
    )
    assert outcomes == ["accepted", "accepted"], outcomes
    version = AgreementVersion.objects.get()
    assert version.agreed_at is not None
    assert version.acceptances.count() == 3


def test_one_accept_sent_twice_at_once_is_stored_once():
    mentorship, mentor, mentees = _group()
    agreement.agreement_propose(mentorship=mentorship, user=mentor, terms=terms())
    twice = [lambda: agreement.agreement_accept(mentorship=mentorship, user=mentees[0], number=1)] * 2
    outcomes = sorted(_run(twice))
    assert outcomes == ["accepted", "refused: You have already accepted this version."], outcomes
    assert AgreementAcceptance.objects.filter(user=mentees[0]).count() == 1
    assert AgreementVersion.objects.get().agreed_at is None  # the other mentee has not accepted


def test_two_proposals_at_once_make_one_new_version_and_a_clear_refusal():
    mentorship, mentor, mentees = _group()
    outcomes = sorted(
        _run(
            [
                lambda: agreement.agreement_propose(mentorship=mentorship, user=mentor, terms=terms()),
                lambda: agreement.agreement_propose(
                    mentorship=mentorship, user=mentees[0], terms=terms(every_weeks=4)
                ),
            ]
        )
    )
    assert outcomes[0] == "accepted", outcomes
    assert outcomes[1].startswith("refused: Someone proposed a change"), outcomes
    assert list(AgreementVersion.objects.values_list("number", flat=True)) == [1]
