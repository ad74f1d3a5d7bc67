"""Observing a session (E5): a program manager asks on a booked session still to come, each
member of the pair answers yes or no, the manager may withdraw. With htmx each answers the
page's observation section; without, the mentorship's page again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.core.errors import MeridianError, show_error
from meridian.engagement import observe, selectors
from meridian.engagement.observe_reads import AskForm, section_context
from meridian.mentorships.models import Mentorship
from meridian.scheduling import selectors as scheduling_selectors

SECTION = "engagement/_observe_section.html"


def _answer(
    request: AuthedRequest,
    mentorship: Mentorship,
    act: Callable[[], str],
    *,
    form: AskForm | None = None,
    meeting: Any = None,
) -> HttpResponse:
    done = refused = ""
    try:
        done = act()
    except MeridianError as error:
        show_error(request, error, form)
        refused = "" if form is not None and error.field in form.fields else error.message
    if not request.htmx:
        if done:
            messages.success(request, done)
        elif form is not None:
            messages.error(request, _("Not sent: %(why)s") % {"why": form.errors.get("why", [""])[0]})
        return redirect("portal:workspace", mentorship.public_id)
    failed = (meeting.pk, form) if form is not None and not done else None
    context = section_context(mentorship, request.user, failed=failed, done=done)
    return render(request, SECTION, {**context, "refused": refused, "request": request})


@login_required
@require_POST
def observe_ask(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    meeting = scheduling_selectors.get_meeting_for_user(request.user, public_id)
    if not permissions.may_ask_to_observe(request.user, meeting):
        raise Http404
    form = AskForm(request.POST, auto_id=f"id_{meeting.pk}_%s")

    def ask() -> str:
        if not form.is_valid():
            return ""  # the form says why beside its field, once
        observe.observation_ask(meeting=meeting, manager=request.user, why=form.cleaned_data["why"])
        return _("Asked: the pair decides, and you will hear their answer.")

    return _answer(request, meeting.mentorship, ask, form=form, meeting=meeting)


@login_required
@require_POST
def observe_answer(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    found = selectors.get_observation_for_user(request.user, public_id, write=True)
    if not permissions.takes_part(request.user, found.meeting.mentorship):
        raise Http404
    choice = request.POST.get("answer")

    def answer() -> str:
        if choice not in ("yes", "no"):
            raise MeridianError("Answer yes or no.")
        observe.observation_answer(request=found, user=request.user, consents=choice == "yes")
        return _("Thank you: your answer is saved.")

    return _answer(request, found.meeting.mentorship, answer)


@login_required
@require_POST
def observe_withdraw(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    found = selectors.get_observation_for_user(request.user, public_id, write=True)
    if not permissions.may_ask_to_observe(request.user, found.meeting):
        raise Http404

    def withdraw() -> str:
        observe.observation_withdraw(request=found, manager=request.user)
        return _("Request withdrawn.")

    return _answer(request, found.meeting.mentorship, withdraw)
