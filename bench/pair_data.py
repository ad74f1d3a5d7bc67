"""Many mentorships in one cohort, made in bulk (a few queries per thousand pairs), with
some activity: held meetings with notes, a next meeting, open action items. Used by the
pairs list benchmark and by its pinned query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from meridian.accounts.models import User
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.models import Cohort, Enrollment
from meridian.scheduling.models import ActionItem, Meeting

FIRST = ("Ana", "Bo", "Chidi", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jun")
LAST = ("Silva", "Okafor", "Kumar", "Novak", "Tanaka", "Meyer", "Haddad", "Lopez", "Berg", "Rossi")
BATCH = 1000


def _people(tag: str, n: int) -> list[User]:
    people = [
        User(
            email=f"{tag}{i}@pairs.example",
            name=f"{FIRST[i % 10]} {LAST[(i // 10) % 10]} {tag}{i}",
            time_zone="Europe/London",
        )
        for i in range(n)
    ]
    User.objects.bulk_create(people, batch_size=BATCH)
    return list(User.objects.filter(email__endswith="@pairs.example", email__startswith=tag).order_by("pk"))


def make_pairs(cohort: Cohort, n: int, *, tag: str = "p") -> list[Mentorship]:
    """``n`` pair mentorships in ``cohort``; every third has held meetings, a next meeting
    and an open action item."""
    mentors, mentees = _people(f"{tag}mentor", n), _people(f"{tag}mentee", n)
    enrollments = [
        Enrollment(cohort=cohort, user=user, role=role, status="approved", capacity=1)
        for role, users in (("mentor", mentors), ("mentee", mentees))
        for user in users
    ]
    Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
    by_user = {e.user_id: e for e in Enrollment.objects.filter(cohort=cohort)}
    today = timezone.localdate()
    pairs = [
        Mentorship(program=cohort.program, cohort=cohort, started_on=today - dt.timedelta(days=i % 90))
        for i in range(n)
    ]
    Mentorship.objects.bulk_create(pairs, batch_size=BATCH)
    pairs = list(Mentorship.objects.filter(cohort=cohort).order_by("pk"))[-n:]
    members: list[Member] = []
    for pair, mentor, mentee in zip(pairs, mentors, mentees, strict=True):
        for user, role in ((mentor, "mentor"), (mentee, "mentee")):
            members.append(Member(mentorship=pair, enrollment=by_user[user.pk], user=user, role=role))
    Member.objects.bulk_create(members, batch_size=BATCH)
    _activity(pairs[::3], mentors[::3])
    return pairs


def _activity(pairs: list[Mentorship], owners: list[Any]) -> None:
    now = timezone.now().replace(microsecond=0)
    meetings, actions = [], []
    for pair, owner in zip(pairs, owners, strict=True):
        for weeks in (3, 1):
            meetings.append(
                Meeting(
                    mentorship=pair,
                    status="held",
                    starts_at=now - dt.timedelta(weeks=weeks),
                    minutes=30,
                    agenda="Private agenda of the pair",
                    shared_notes="Private notes of the pair",
                )
            )
        meetings.append(
            Meeting(mentorship=pair, status="scheduled", starts_at=now + dt.timedelta(days=4), minutes=30)
        )
        actions.append(ActionItem(mentorship=pair, text="Private action of the pair", owner=owner))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    ActionItem.objects.bulk_create(actions, batch_size=BATCH)
