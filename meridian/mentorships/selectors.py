"""Reading mentorships for a person, with the access policy applied."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.permissions import Person
from meridian.mentorships.goals import goal_with_parts, parse_public_id
from meridian.mentorships.models import Closure, Goal, Member, Mentorship, MentorshipStatus, SharedItem


def _with_people(rows: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    members = Member.objects.select_related("user__profile").order_by("role", "id")
    return rows.select_related("program", "cohort").prefetch_related(Prefetch("members", queryset=members))


def mentorships_for(user: User) -> QuerySet[Mentorship]:
    """The person's own mentorships, current first: those they are in now, and those that
    ended while they were in them (not a running one they were taken out of), as the
    in-the-pair rule lets them open."""
    mine = Member.objects.filter(user=user)
    running = Q(status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED))
    rows = Mentorship.objects.filter(
        (running & Q(pk__in=mine.filter(is_current=True).values("mentorship_id")))
        | (~running & Q(pk__in=mine.values("mentorship_id")))
    )
    return _with_people(rows.order_by("status", "-started_on"))


def program_mentorships(program: Any) -> QuerySet[Mentorship]:
    return _with_people(Mentorship.objects.filter(program=program).order_by("cohort", "-started_on"))


def get_mentorship_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Mentorship:
    """The mentorship if ``user`` may see it (members, the program's managers); with
    ``write``, only if they take part in it now (propose meetings, write notes); else 404."""
    found = _with_people(Mentorship.objects.filter(public_id=public_id)).first()
    if found is None:
        raise Http404
    allowed = permissions.takes_part(user, found) if write else permissions.may_see_mentorship(user, found)
    if not allowed:
        raise Http404
    return found


def get_pair_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Mentorship:
    """The mentorship as the pair's own space (its shared links and files): for the people
    in the pair (``in_the_pair``; with ``write``, those who take part in it now), never
    its program's managers nor administrators; else 404."""
    found = _with_people(Mentorship.objects.filter(public_id=public_id)).first()
    if found is None:
        raise Http404
    allowed = permissions.takes_part(user, found) if write else permissions.in_the_pair(user, found)
    if not allowed:
        raise Http404
    return found


def get_closing_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Mentorship:
    """The mentorship as its close page sees it: for its current members while it runs,
    for the people current when it closed afterwards (``in_the_closing``); with ``write``
    (closing it), its current members alone; never its managers; else 404."""
    found = _with_people(Mentorship.objects.filter(public_id=public_id)).first()
    if found is None:
        raise Http404
    allowed = permissions.takes_part(user, found) if write else permissions.in_the_closing(user, found)
    if not allowed:
        raise Http404
    return found


def get_closure_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Closure:
    """A closure with a mentee's request to be matched again, for the program's managers
    and administrators (``may_rematch``; ``write``: confirming a new mentor); else 404."""
    found = (
        Closure.objects.filter(public_id=public_id)
        .select_related("mentorship__program", "mentorship__cohort__program")
        .first()
    )
    if found is None or not permissions.may_rematch(user, found):
        raise Http404
    return found


def get_goal_for_user(user: Person, public_id: uuid.UUID | str, *, write: bool = False) -> Goal:
    """A goal in full for the pair (``permissions.in_the_pair``); with ``write``, for the
    current members of a current mentorship (``takes_part``). Everyone else: 404."""
    goal = goal_with_parts(Goal.objects.filter(public_id=parse_public_id(public_id))).first()
    allowed = permissions.takes_part if write else permissions.in_the_pair
    if goal is None or not allowed(user, goal.mentorship):
        raise Http404
    return goal


def get_shared_item_for_user(user: Person, public_id: uuid.UUID | str, *, write: bool = False) -> SharedItem:
    """A shared link or file for the pair alone (``write``: a current member); else 404."""
    key = parse_public_id(public_id)
    item = SharedItem.objects.select_related("mentorship", "added_by").filter(public_id=key).first()
    allowed = permissions.takes_part if write else permissions.in_the_pair
    if item is None or not allowed(user, item.mentorship):
        raise Http404
    return item
