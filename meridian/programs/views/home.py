"""The first page after sign-in: what is mine, and what I can do next."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile, User
from meridian.core import permissions
from meridian.programs import selectors
from meridian.programs.models import Program


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    profile, _created = Profile.objects.get_or_create(user=user)
    managed = selectors.programs_for_list(user).filter(pk__in=Program.objects.managed_by(user).values("pk"))
    return render(
        request,
        "programs/home.html",
        {
            "profile": profile,
            "enrollments": selectors.my_enrollments(user),
            "mentorships": my_mentorships(user),
            "open_cohorts": selectors.open_cohorts_for(user)[:6],
            "managed": managed if permissions.is_admin(user) or user.managed_programs.exists() else [],
            "may_create": permissions.may_create_program(user),
        },
    )


def my_mentorships(user: User) -> list[dict[str, Any]]:
    """The person's current mentorships: with whom, and the next meeting, in three queries
    whatever their number. Mentorships and meetings are higher layers than programs, so
    they are reached through the reverse relations, never imported."""
    mentorship_model = cast(Any, user.memberships.model)._meta.get_field("mentorship").related_model
    meeting_model = cast(Any, mentorship_model)._meta.get_field("meetings").related_model
    upcoming = meeting_model.objects.filter(status="scheduled", starts_at__gte=timezone.now())
    members = (
        user.memberships.filter(is_current=True)
        .select_related("mentorship__program")
        .prefetch_related(
            "mentorship__members__user",
            Prefetch("mentorship__meetings", queryset=upcoming.order_by("starts_at"), to_attr="upcoming"),
        )
        .order_by("-mentorship__started_on")
    )
    rows = []
    for member in members:
        mentorship = cast(Any, member).mentorship
        partners = [p.user.name for p in mentorship.members.all() if p.user_id != user.pk and p.is_current]
        rows.append(
            {
                "mentorship": mentorship,
                "role": cast(Any, member).get_role_display(),
                "partners": ", ".join(partners),
                "next": mentorship.upcoming[0] if mentorship.upcoming else None,
            }
        )
    return rows
