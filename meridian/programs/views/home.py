"""The first page after sign-in: what is mine, and what I can do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile
from meridian.core import permissions
from meridian.programs import selectors
from meridian.programs.manager_home import manager_home
from meridian.programs.models import Program


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    profile, _created = Profile.objects.get_or_create(user=user)
    manager = manager_home(user)
    enrollments = selectors.my_enrollments(user)
    # a manager who takes part in no cohort is not asked to fill in a participant's profile
    ask_profile = profile.completeness < 100 and (manager is None or bool(enrollments))
    # nor invited to apply to the cohorts they run
    open_cohorts = selectors.open_cohorts_for(user).exclude(program__in=Program.objects.managed_by(user))
    return render(
        request,
        "programs/home.html",
        {
            "profile": profile,
            "ask_profile": ask_profile,
            "enrollments": enrollments,
            "open_cohorts": open_cohorts[:6],
            "manager": manager,
            "may_create": permissions.may_create_program(user),
        },
    )
