"""A mentee's request to be matched again, for the program's managers: their best
alternatives (ranked and explained as on the review page) and one click to confirm a new
mentor. Everyone else gets 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.matching import rematch, selectors
from meridian.mentorships import selectors as mentorship_selectors

PAGE = "matching/rematch.html"


@login_required
@require_http_methods(["GET", "POST"])
def rematch_page(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    closure = mentorship_selectors.get_closure_for_user(
        request.user, public_id, write=request.method == "POST"
    )
    asked = rematch.request_of(closure)
    if request.method == "POST":
        mentor = selectors.member_by_public_id(asked.mentee.cohort, request.POST.get("mentor", ""), "mentor")
        try:
            started = rematch.rematch_confirm(request=asked, mentor=mentor)
        except MeridianError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("%(mentee)s and %(mentor)s are matched; both get an introduction.")
                % {"mentee": asked.mentee.user.name, "mentor": mentor.user.name},
            )
            return redirect("portal:workspace", started.public_id)
    done = closure.rematched_as_id is not None
    return render(
        request,
        PAGE,
        {
            "closure": closure,
            "asked": asked,
            "options": [] if done else rematch.options(asked),
            "done": done,
        },
        status=400 if request.method == "POST" else 200,
    )
