"""A relationship's history, built from real rows by a fixed number of set-based queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from meridian.engagement import history
from meridian.engagement.models import ContactLog, Pause, Pulse
from meridian.mentorships.checkins import checkin_create
from meridian.mentorships.goals import GoalInput, goal_create, goal_progress
from meridian.mentorships.models import AgreementVersion, Mentorship
from meridian.mentorships.reports import report_unresponsive
from meridian.messaging.models import Thread
from meridian.messaging.services import message_send
from meridian.scheduling.services import meeting_cancel, meeting_record_outcome
from tests.factories import meeting_booked, mentoring_pair, people
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _at(days: float) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


def _kinds(past: Any) -> list[tuple[str, str | None, int | None]]:
    return [(e.kind, e.by, e.value) for e in past.events]


def test_every_source_becomes_an_event_with_its_side(pair: Mentorship, clock: time_machine.Traveller) -> None:
    mentor, mentee = people(pair)
    meeting = meeting_booked(pair, _at(3))  # accepted by the mentee at NOW, 3 days ahead
    clock.move_to(_at(3.1))
    meeting_record_outcome(meeting=meeting, user=mentor, outcome="held")
    second = meeting_booked(pair, _at(10))
    clock.move_to(_at(5))
    meeting_cancel(meeting=second, user=mentee, reason="Travelling")
    thread = Thread.objects.create(mentorship=pair)
    message_send(thread=thread, author=mentee, body="A question about the plan")
    clock.move_to(_at(6))
    message_send(thread=thread, author=mentor, body="Here is an answer")
    checkin_create(mentorship=pair, user=mentee, mood=4)
    goal = goal_create(mentorship=pair, user=mentee, data=GoalInput(title="Give a talk"))
    clock.move_to(_at(7))
    goal_progress(goal=goal, user=mentee, progress=30, comment="Outline written")
    clock.move_to(_at(7.5))
    report_unresponsive(mentorship=pair, user=mentor, since=_at(5).date(), tried="Two messages")
    Pulse.objects.create(
        mentorship=pair, user=mentee, role="mentee", number=1, due_on=_at(7).date(),
        answered_at=_at(7.6), rating=2, wants_continue="no",
    )  # fmt: skip
    Pause.objects.create(mentorship=pair, starts_on=_at(8).date(), ends_on=_at(9).date())
    ContactLog.objects.create(mentorship=pair, channel="call", outcome="reached", at=_at(11))

    built = history.histories([pair], until=_at(12))

    past = built[pair.pk]
    assert past.started_on == NOW.date()
    assert (past.cadence_days, past.cadence_agreed) == (
        14,
        False,
    )  # the program's 2 weeks: nothing agreed yet
    assert _kinds(past) == [
        ("meeting_booked", "mentee", 3),
        ("meeting_held", None, None),
        ("meeting_booked", "mentee", 6),  # booked on day 3, for day 10
        ("meeting_cancelled", "mentee", None),
        ("message", "mentee", None),
        ("message", "mentor", None),
        ("checkin", "mentee", None),
        ("goal_set", "mentee", None),
        ("goal_progress", "mentee", None),
        ("report_unresponsive", "mentor", None),
        ("pulse", "mentee", 2),
        ("continue_no", "mentee", None),
        ("pause_start", None, None),
        ("pause_end", None, None),
        ("manager_contact", "manager", None),
    ]
    held = past.events[1]
    assert held.at == _at(3)  # when the meeting took place, not when it was marked
    assert [e.at for e in past.events[-3:-1]] == [
        dt.datetime.combine(_at(8).date(), dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(_at(10).date(), dt.time(), tzinfo=dt.UTC),  # the day after the last
    ]
    assert all(e.at.tzinfo is not None for e in past.events)


def test_events_after_until_are_left_out(pair: Mentorship, clock: time_machine.Traveller) -> None:
    mentor, mentee = people(pair)
    thread = Thread.objects.create(mentorship=pair)
    message_send(thread=thread, author=mentee, body="Hello")
    clock.move_to(_at(4))
    message_send(thread=thread, author=mentor, body="Hello back")

    past = history.histories([pair], until=_at(2))[pair.pk]

    assert _kinds(past) == [("message", "mentee", None)]


def test_the_agreed_cadence_wins_over_the_programs(pair: Mentorship) -> None:
    mentor, _mentee = people(pair)
    AgreementVersion.objects.create(
        mentorship=pair, number=1, every_weeks=1, proposed_by=mentor, agreed_at=NOW
    )
    AgreementVersion.objects.create(
        mentorship=pair, number=2, every_weeks=4, proposed_by=mentor
    )  # not agreed
    pair.program.cadence_weeks = 3
    pair.program.save()
    other = mentoring_pair(program=pair.program)

    built = history.histories(Mentorship.objects.filter(pk__in=[pair.pk, other.pk]), until=_at(1))

    assert (built[pair.pk].cadence_days, built[pair.pk].cadence_agreed) == (7, True)
    assert (built[other.pk].cadence_days, built[other.pk].cadence_agreed) == (21, False)  # the program's


def _busy_pairs(count: int) -> list[Mentorship]:
    pairs = [mentoring_pair() for _ in range(count)]
    for mentorship in pairs:
        mentor, mentee = people(mentorship)
        thread = Thread.objects.create(mentorship=mentorship)
        message_send(thread=thread, author=mentee, body="Hello")
        checkin_create(mentorship=mentorship, user=mentor, mood=3)
    return pairs


@pytest.mark.parametrize("count", [3, 30])
def test_the_query_count_does_not_grow_with_the_relationships(
    count: int, clock: time_machine.Traveller, django_assert_num_queries: Any
) -> None:
    pairs = _busy_pairs(count)

    with django_assert_num_queries(history.QUERIES_PER_CHUNK):
        built = history.histories(pairs, until=_at(1))

    assert len(built) == count
    assert all(
        _kinds(p) == [("message", "mentee", None), ("checkin", "mentor", None)] for p in built.values()
    )


def test_many_relationships_go_in_chunks(
    clock: time_machine.Traveller, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    pairs = _busy_pairs(5)
    monkeypatch.setattr(history, "CHUNK", 2)

    with django_assert_num_queries(3 * history.QUERIES_PER_CHUNK):
        built = history.histories([m.pk for m in pairs], until=_at(1))

    assert sorted(built) == sorted(m.pk for m in pairs)
