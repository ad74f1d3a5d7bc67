"""The shared factories build what they say, through the services: a test that leans on them
fails here first when a service changes its name or its rules."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from meridian.matching.models import RunStatus
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Mentorship, MentorshipStatus
from meridian.scheduling.models import MeetingStatus
from tests.factories import (
    UserFactory,
    action_item,
    match_run,
    meeting_booked,
    meeting_proposed,
    people,
)

pytestmark = pytest.mark.django_db


@pytest.mark.pair(mentee={"name": "Priya Raman", "time_zone": "Asia/Kolkata"})
def test_the_pair_fixture_makes_the_people_it_is_marked_with(
    pair: Mentorship, clock: time_machine.Traveller
) -> None:
    mentor, mentee = people(pair)
    assert (mentor.name, mentor.time_zone) == ("Ana Ruiz", "Europe/London")
    assert (mentee.name, mentee.time_zone) == ("Priya Raman", "Asia/Kolkata")
    assert pair.status == MentorshipStatus.ACTIVE
    assert dt.datetime.now(dt.UTC) == dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def test_a_booked_meeting_is_scheduled_at_its_start(pair: Mentorship) -> None:
    start = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
    proposed = meeting_proposed(pair, start, start + dt.timedelta(hours=1))
    booked = meeting_booked(pair, start, minutes=30)
    assert proposed.status == MeetingStatus.PROPOSED
    assert proposed.options.count() == 2
    assert (booked.status, booked.starts_at, booked.minutes) == (MeetingStatus.SCHEDULED, start, 30)


def test_an_action_item_is_open_and_the_mentees(pair: Mentorship) -> None:
    mentor, mentee = people(pair)
    item = action_item(pair, "Draft the talk", due_on=dt.date(2026, 3, 20))
    assert (item.mentorship, item.owner, item.created_by, item.text) == (
        pair,
        mentee,
        mentor,
        "Draft the talk",
    )
    assert item.done_at is None


def test_a_match_run_is_finished_with_its_proposals() -> None:
    manager = UserFactory()
    cohort = demo_cohort(manager, mentees=6, mentors=3)
    run = match_run(cohort, manager)
    assert run.status == RunStatus.DONE
    assert 0 < run.proposals.count() <= 6
    assert run.settings["constraints"] == {"min_shared_hours": 0}
