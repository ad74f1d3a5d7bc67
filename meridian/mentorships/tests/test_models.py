"""What the database itself refuses: a mentee in two current mentorships of a cohort, the
same person twice in one mentorship; and which mentorships count as current."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meridian.mentorships.models import Member, Mentorship, MentorshipStatus
from meridian.programs.models import Enrollment, Role
from tests.factories import mentoring_pair

pytestmark = pytest.mark.django_db


def another_mentorship(of: Mentorship) -> Mentorship:
    return Mentorship.objects.create(program=of.program, cohort=of.cohort, started_on=timezone.localdate())


def test_a_mentee_is_in_one_current_mentorship_of_a_cohort() -> None:
    pair = mentoring_pair()
    mentee = pair.members.get(role=Role.MENTEE)
    other = another_mentorship(pair)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            mentorship=other, enrollment=mentee.enrollment, user=mentee.user, role=Role.MENTEE
        )
    mentee.is_current = False
    mentee.save()
    Member.objects.create(mentorship=other, enrollment=mentee.enrollment, user=mentee.user, role=Role.MENTEE)
    assert Member.objects.filter(enrollment=mentee.enrollment, is_current=True).count() == 1


def test_a_mentor_may_be_in_several_current_mentorships() -> None:
    pair = mentoring_pair()
    mentor = pair.members.get(role=Role.MENTOR)
    other = another_mentorship(pair)
    Member.objects.create(mentorship=other, enrollment=mentor.enrollment, user=mentor.user, role=Role.MENTOR)
    assert Member.objects.filter(enrollment=mentor.enrollment, is_current=True).count() == 2


def test_a_person_is_in_a_mentorship_once() -> None:
    pair = mentoring_pair()
    mentor = pair.members.get(role=Role.MENTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            mentorship=pair, enrollment=mentor.enrollment, user=mentor.user, role=Role.MENTEE
        )
    assert pair.members.count() == 2


def test_current_means_active_or_paused() -> None:
    made = {status: mentoring_pair() for status in MentorshipStatus.values}
    for status, mentorship in made.items():
        Mentorship.objects.filter(pk=mentorship.pk).update(status=status)
    current = set(Mentorship.objects.current().values_list("status", flat=True))
    assert current == {MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED}
    assert Mentorship.objects.count() == len(MentorshipStatus.values)


def test_an_enrolment_in_another_cohort_is_not_held_by_the_index() -> None:
    pair = mentoring_pair()
    mentee = pair.members.get(role=Role.MENTEE)
    elsewhere = mentoring_pair(mentee=mentee.user)
    assert elsewhere.cohort_id != pair.cohort_id
    assert Member.objects.filter(user=mentee.user, is_current=True, role=Role.MENTEE).count() == 2
    assert Enrollment.objects.filter(user=mentee.user).count() == 2
