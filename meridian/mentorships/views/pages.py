"""A person's mentorships and one mentorship's page."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.mentorships import selectors


@login_required
def mentorship_list(request: AuthedRequest) -> HttpResponse:
    rows = list(selectors.mentorships_for(request.user))
    for m in rows:  # the other members, joined here: a template loop left a comma after the last
        m.partners = ", ".join(p.user.name for p in m.members.all() if p.user_id != request.user.pk)  # type: ignore[attr-defined]
    return render(request, "mentorships/mentorship_list.html", {"mentorships": rows})


@login_required
def mentorship_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, public_id)
    members = list(mentorship.members.all())
    return render(
        request,
        "mentorships/mentorship_detail.html",
        {
            "mentorship": mentorship,
            "mentors": [m for m in members if m.role == "mentor"],
            "mentees": [m for m in members if m.role == "mentee"],
            "manages": permissions.may_manage_program(request.user, mentorship.program),
            "member": any(m.user_id == request.user.pk and m.is_current for m in members),
            # the scheduling app's meetings, through the reverse relation (a higher layer)
            "next_meeting": mentorship.meetings.filter(status="scheduled", starts_at__gte=timezone.now())
            .order_by("starts_at")
            .first(),
        },
    )
