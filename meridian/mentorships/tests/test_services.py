"""Starting a mentorship: a pair of a mentor and a mentee, or a group program's group that
later mentees join; nobody twice, never over the mentor's room, nothing half-written."""

from __future__ import annotations

import pytest

from meridian.core.errors import MeridianError
from meridian.mentorships import services
from meridian.mentorships.closing import Thoughts, mentorship_close
from meridian.mentorships.models import (
    CloseReason,
    Member,
    Mentorship,
    MentorshipKind,
    MentorshipSource,
    MentorshipStatus,
)
from meridian.programs.models import Cohort, ProgramKind, Role
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def cohort_of(kind: str = ProgramKind.ONE_TO_ONE, group_size: int = 3) -> Cohort:
    return CohortFactory(program=ProgramFactory(kind=kind, group_size=group_size), status="running")


def test_a_pair_starts_with_its_mentor_and_mentee() -> None:
    cohort = cohort_of()
    mentor = EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=1)
    mentee = EnrollmentFactory(cohort=cohort, role=Role.MENTEE)
    started = services.start(
        mentor=mentor, mentees=[mentee], source=MentorshipSource.SELF_SELECT, score=0.8, why="x" * 2500
    )
    mentorship = Mentorship.objects.get()
    assert (started.mentorship, started.new_mentees, started.created) == (mentorship, [mentee], True)
    assert (mentorship.kind, mentorship.status, mentorship.source) == (
        MentorshipKind.PAIR,
        MentorshipStatus.ACTIVE,
        MentorshipSource.SELF_SELECT,
    )
    assert (mentorship.program, mentorship.cohort, mentorship.score) == (cohort.program, cohort, 0.8)
    assert len(mentorship.why) == 2000
    roles = set(mentorship.members.values_list("user_id", "role", "is_current"))
    assert roles == {(mentor.user_id, Role.MENTOR, True), (mentee.user_id, Role.MENTEE, True)}


def test_a_mentee_who_has_a_mentor_is_skipped_and_none_left_is_refused() -> None:
    cohort = cohort_of()
    mentor, other = (EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=2) for _ in range(2))
    taken, free = (EnrollmentFactory(cohort=cohort, role=Role.MENTEE) for _ in range(2))
    services.start(mentor=other, mentees=[taken])
    started = services.start(mentor=mentor, mentees=[taken, free])
    assert started.new_mentees == [free]
    with pytest.raises(MeridianError, match="already has a mentor"):
        services.start(mentor=mentor, mentees=[taken, free])
    assert Mentorship.objects.count() == 2
    assert Member.objects.filter(enrollment=taken).count() == 1


def test_a_mentor_without_room_is_refused_and_nothing_is_written() -> None:
    cohort = cohort_of()
    mentor = EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=1)
    first, second, third = (EnrollmentFactory(cohort=cohort, role=Role.MENTEE) for _ in range(3))
    with pytest.raises(MeridianError, match="no room"):
        services.start(mentor=mentor, mentees=[first, second])
    assert not Mentorship.objects.exists()
    services.start(mentor=mentor, mentees=[first])
    with pytest.raises(MeridianError, match="no room"):
        services.start(mentor=mentor, mentees=[third])
    assert services.room_left(mentor) == 0
    assert Mentorship.objects.count() == 1


def test_a_group_programs_mentees_join_the_mentors_current_group() -> None:
    cohort = cohort_of(ProgramKind.GROUP, group_size=3)
    mentor = EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=1)
    mentees = [EnrollmentFactory(cohort=cohort, role=Role.MENTEE) for _ in range(4)]
    first = services.start(mentor=mentor, mentees=mentees[:2])
    joined = services.start(mentor=mentor, mentees=[mentees[2]])
    assert first.created
    assert not joined.created
    assert joined.mentorship == first.mentorship
    assert first.mentorship.kind == MentorshipKind.GROUP
    assert first.mentorship.members.filter(role=Role.MENTEE).count() == 3
    assert first.mentorship.members.filter(role=Role.MENTOR).count() == 1
    with pytest.raises(MeridianError, match="no room"):  # the group size, not the capacity offered
        services.start(mentor=mentor, mentees=[mentees[3]])


def test_a_mentee_whose_mentorship_ended_may_start_another() -> None:
    cohort = cohort_of()
    mentor, other = (EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=1) for _ in range(2))
    mentee = EnrollmentFactory(cohort=cohort, role=Role.MENTEE)
    first = services.start(mentor=mentor, mentees=[mentee]).mentorship
    mentorship_close(
        mentorship=first,
        user=mentee.user,
        outcome=MentorshipStatus.ENDED,
        reason=CloseReason.SCHEDULES,
        thoughts=Thoughts(achieved="A clearer plan", recommend="yes"),
    )
    assert not first.members.filter(is_current=True).exists()
    assert not services.has_current_mentorship(mentee)
    assert services.room_left(mentor) == 1
    again = services.start(mentor=other, mentees=[mentee])
    assert again.created
    assert again.mentorship != first
    assert services.mentee_counts([mentor.pk, other.pk]) == {other.pk: 1}  # no current group: absent
