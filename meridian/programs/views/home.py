"""The first page after sign-in: what is mine, and what I can do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile
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
            "open_cohorts": selectors.open_cohorts_for(user)[:6],
            "managed": managed if permissions.is_admin(user) or user.managed_programs.exists() else [],
            "may_create": permissions.may_create_program(user),
        },
    )
