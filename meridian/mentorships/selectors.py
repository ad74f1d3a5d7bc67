"""Reading mentorships for a person, with the access policy applied."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from meridian.mentorships.models import Member, Mentorship
from meridian.programs.selectors import parse_uuid


def _with_people(rows: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    members = Member.objects.select_related("user__profile").order_by("role", "id")
    return rows.select_related("program", "cohort").prefetch_related(Prefetch("members", queryset=members))


def mentorships_for(user: Any) -> QuerySet[Mentorship]:
    """The person's own mentorships, current first."""
    return _with_people(Mentorship.objects.filter(members__user=user).order_by("status", "-started_on"))


def program_mentorships(program: Any) -> QuerySet[Mentorship]:
    return _with_people(Mentorship.objects.filter(program=program).order_by("cohort", "-started_on"))


def get_mentorship_for_user(user: Any, public_id: Any) -> Mentorship:
    found = _with_people(Mentorship.objects.visible_to(user)).filter(public_id=parse_uuid(public_id)).first()
    if found is None:
        raise Http404
    return found
