"""A person's mentorships (one mentorship's page is the portal's workspace, above)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from meridian.accounts.http import AuthedRequest
from meridian.mentorships import selectors


@login_required
def mentorship_list(request: AuthedRequest) -> HttpResponse:
    rows = list(selectors.mentorships_for(request.user))
    for m in rows:  # the other members, joined here: a template loop left a comma after the last
        m.partners = ", ".join(p.user.name for p in m.members.all() if p.user_id != request.user.pk)  # type: ignore[attr-defined]
    return render(request, "mentorships/mentorship_list.html", {"mentorships": rows})
