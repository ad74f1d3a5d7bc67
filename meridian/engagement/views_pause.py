"""A pair's pauses and its "still going" answer, from the relationship's page: its current
members alone (404 for anybody else). htmx gets the pause card back; a plain POST goes back
to the relationship's page, or, refused, gets the card on its own with the reasons."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.core.errors import MeridianError, show_error
from meridian.engagement import ladder, pauses, selectors
from meridian.engagement.ladder_forms import PauseForm
from meridian.mentorships import selectors as mentorship_selectors
from meridian.mentorships.models import Mentorship

SECTION = "engagement/_pause_section.html"


def _pair(request: AuthedRequest, public_id: UUID) -> Mentorship:
    mentorship = mentorship_selectors.get_mentorship_for_user(request.user, public_id)
    if not permissions.may_pause(request.user, mentorship):
        raise Http404
    return mentorship


def _answer(
    request: AuthedRequest, mentorship: Mentorship, *, form: PauseForm | None = None, done: str = ""
) -> HttpResponse:
    if form is None and not request.htmx:
        return redirect("portal:workspace", mentorship.public_id)
    context = {**selectors.pause_section(mentorship, request.user, form=form, done=done), "request": request}
    if request.htmx:
        return render(request, f"{SECTION}#pause_answer", context)
    return render(request, "mentorships/pair_retry.html", {**context, "section": SECTION}, status=400)


@login_required
@require_POST
def pause_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = _pair(request, public_id)
    form = PauseForm(request.POST)
    if form.is_valid():
        try:
            pause = pauses.pause_declare(
                mentorship=mentorship,
                user=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            text = _("Paused from %(start)s until %(end)s: your partner and the program team see it.") % {
                "start": date_format(pause.starts_on, "j F"),
                "end": date_format(pause.ends_on, "j F"),
            }
            messages.success(request, text)
            return _answer(request, mentorship, done=text)
    messages.error(request, _("Not paused: see the reason in the form."))
    return _answer(request, mentorship, form=form)


@login_required
@require_POST
def pause_end(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    pause = selectors.get_pause_for_user(request.user, public_id, write=True)
    mentorship = _pair(request, pause.mentorship.public_id)
    try:
        pauses.pause_end(pause=pause, user=request.user)
    except MeridianError as error:
        messages.error(request, error.message)
        return _answer(request, mentorship, done=str(error.message))
    text = _("The pause is over: welcome back.")
    messages.success(request, text)
    return _answer(request, mentorship, done=text)


@login_required
@require_POST
def still_going(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = _pair(request, public_id)
    try:
        ladder.still_going(mentorship=mentorship, user=request.user)
    except MeridianError as error:
        messages.error(request, error.message)
        return _answer(request, mentorship, done=str(error.message))
    text = _("Thank you: the mentorship stays open. Plan your next meeting.")
    messages.success(request, text)
    return _answer(request, mentorship, done=text)
