"""A mentorship's page: the pair's workspace, or the program team's overview of it."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meridian.accounts.http import AuthedRequest
from meridian.portal import selectors


@login_required
def workspace(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    door = selectors.get_workspace_for_user(request.user, public_id)
    if door.in_pair:
        context = selectors.workspace(door.mentorship, request.user)
        return render(request, "portal/workspace.html", context)
    return render(request, "portal/overview.html", selectors.overview(door.mentorship, request.user))
