"""Reading mentorships for a person, with the access policy applied."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.permissions import Person

# The doors to a goal and to a shared link or file live beside their services; read them here.
from meridian.mentorships.files import get_shared_item_for_user as get_shared_item_for_user
from meridian.mentorships.goals import get_goal_for_user as get_goal_for_user
from meridian.mentorships.models import Closure, Member, Mentorship, MentorshipStatus


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
