"""Both members close at the same moment: one wins, the other is refused in words, and
nothing is written twice. On PostgreSQL
(``--db postgres``) threads with their own connections wait at a barrier; the row lock on
the mentorship serialises them. SQLite runs the same calls in turn."""

from __future__ import annotations

import functools

import pytest

from meridian.mentorships import closing
from meridian.mentorships.models import Closure, Member, Reflection
from meridian.mentorships.tests.test_agreement_race import _run
from tests.factories import mentoring_pair, people

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_closes_at_once_one_wins_the_other_is_told():
    pair = mentoring_pair()
    mentor, mentee = people(pair)
    said = closing.Thoughts(achieved="Done", recommend="yes")
    calls = [
        functools.partial(
            closing.mentorship_close,
            mentorship=pair,
            user=who,
            outcome="ended",
            reason="schedules",
            thoughts=said,
        )
        for who in (mentor, mentee)
    ]
    outcomes = sorted(_run(calls))
    assert outcomes == ["accepted", "refused: This mentorship is already closed."], outcomes
    assert Closure.objects.count() == 1
    assert Reflection.objects.count() == 1
    assert not Member.objects.filter(mentorship=pair, is_current=True).exists()
