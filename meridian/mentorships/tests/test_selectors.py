"""Reading mentorships: a person's own, a program's, and one by its public id for those
the access policy lets see it (its members, its program's managers, administrators), in
a fixed number of queries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.http import Http404

from meridian.mentorships import selectors
from meridian.mentorships.models import Member, Mentorship, MentorshipStatus
from tests.factories import UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db


def test_a_person_reads_their_own_mentorships_with_the_people_in_fixed_queries(
    django_assert_num_queries: Any,
) -> None:
    mentor = UserFactory()
    mine = [mentoring_pair(mentor=mentor) for _ in range(3)]
    mentoring_pair()  # someone else's
    with django_assert_num_queries(2):  # the mentorships, their members with profiles
        rows = list(selectors.mentorships_for(mentor))
        names = {m.user.profile.title for row in rows for m in row.members.all()}
    assert {row.pk for row in rows} == {m.pk for m in mine}
    assert names == {"Analyst"}


def test_a_person_taken_out_of_a_running_mentorship_no_longer_lists_it_but_one_that_ended() -> None:
    mentor = UserFactory()
    running, ended = mentoring_pair(mentor=mentor), mentoring_pair(mentor=mentor)
    Member.objects.filter(mentorship__in=[running, ended], user=mentor).update(is_current=False)
    Mentorship.objects.filter(pk=ended.pk).update(status=MentorshipStatus.ENDED)
    assert [row.pk for row in selectors.mentorships_for(mentor)] == [ended.pk]


def test_a_programs_mentorships_are_its_own() -> None:
    pair = mentoring_pair()
    mentoring_pair()
    assert list(selectors.program_mentorships(pair.program)) == [pair]


@pytest.mark.parametrize("who", ["mentor", "mentee", "manager", "admin"])
def test_those_the_policy_allows_open_a_mentorship(who: str) -> None:
    pair = mentoring_pair()
    mentor, mentee = people(pair)
    manager, admin = UserFactory(), UserFactory(is_staff=True, is_superuser=True)
    pair.program.managers.add(manager)
    user = {"mentor": mentor, "mentee": mentee, "manager": manager, "admin": admin}[who]
    assert selectors.get_mentorship_for_user(user, pair.public_id) == pair


def test_anyone_else_gets_not_found() -> None:
    pair, theirs = mentoring_pair(), mentoring_pair()
    mentor, _ = people(pair)
    for user, public_id in [
        (mentor, theirs.public_id),
        (mentor, uuid.uuid4()),
        (UserFactory(), pair.public_id),
    ]:
        with pytest.raises(Http404):
            selectors.get_mentorship_for_user(user, public_id)
    assert selectors.get_mentorship_for_user(mentor, pair.public_id) == pair
