"""Closing a mentorship from its page, a later reflection and a mentee's request to be
matched again. The close page is for the pair alone (404 for anybody else, the program
team included: they see the closure's state on the mentorship's page). htmx gets the
section back; a plain POST goes to the close page, or, refused, gets it with the reasons."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.mentorships import closing, closing_reads, selectors
from meridian.mentorships.closing_forms import CloseForm, ReflectionForm
from meridian.mentorships.models import Mentorship
from meridian.programs.models import Role

PAGE = "mentorships/close.html"
SECTION = "mentorships/_closing_section.html"


def _rematch_offered(mentorship: Mentorship, user: Any) -> bool:
    mine = [m for m in mentorship.members.all() if m.user_id == user.pk and m.is_current]
    return bool(mine and mine[0].role == Role.MENTEE and closing.rematch_by_manager(mentorship))


def _closed(request: AuthedRequest, mentorship: Mentorship, text: str) -> HttpResponse:
    messages.success(request, text)
    url = reverse("mentorships:close", args=[mentorship.public_id])
    if request.htmx:  # the whole page changes: the closed state and the reflections
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def close_page(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    if request.method == "GET":
        mentorship = selectors.get_closing_for_user(request.user, public_id)
        return render(request, PAGE, closing_reads.closing_context(mentorship, request.user))
    mentorship = selectors.get_closing_for_user(request.user, public_id, write=True)
    form = CloseForm(request.POST, rematch=_rematch_offered(mentorship, request.user))
    if form.is_valid():
        try:
            closing.mentorship_close(
                mentorship=mentorship,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                thoughts=form.thoughts(),
                rematch=bool(form.cleaned_data.get("rematch")),
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            return _closed(request, mentorship, _("The mentorship is closed; everyone in it has been told."))
    messages.error(request, _("Not closed: see the reasons in the form."))
    context = closing_reads.closing_context(mentorship, request.user, form=form)
    if request.htmx:
        return render(
            request, "mentorships/_close_form.html#close_form_answer", {**context, "request": request}
        )
    return render(request, PAGE, context, status=400)


def _section(request: AuthedRequest, mentorship: Mentorship, *, reflection_form: Any = None) -> HttpResponse:
    context = closing_reads.closing_context(mentorship, request.user, reflection_form=reflection_form)
    if request.htmx:
        return render(request, f"{SECTION}#closing_answer", {**context, "request": request})
    if reflection_form is None:
        return redirect("mentorships:close", mentorship.public_id)
    return render(request, PAGE, context, status=400)


@login_required
@require_POST
def reflection_add(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_closing_for_user(request.user, public_id)
    closure = closing_reads.closure_of(mentorship)
    if closure is None:
        raise Http404
    form = ReflectionForm(request.POST, prefix="reflect")
    if form.is_valid():
        try:
            closing.reflection_add(closure=closure, user=request.user, thoughts=form.thoughts())
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Your reflection is saved."))
            return _section(request, mentorship)
    messages.error(request, _("Not saved: see the reasons in the form."))
    return _section(request, mentorship, reflection_form=form)


@login_required
@require_POST
def rematch_ask(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_closing_for_user(request.user, public_id)
    closure = closing_reads.closure_of(mentorship)
    if closure is None:
        raise Http404
    try:
        closing.rematch_request(closure=closure, user=request.user)
    except MeridianError as error:
        show_error(request, error)
    else:
        messages.success(request, _("The program team has your request and will propose a new mentor."))
    return _section(request, mentorship)
