"""The pair's rules of engagement: read them, propose a change, accept a version; and the
program's template for new agreements (its managers). Pages for the pair alone (404 for
anybody else, the program team included: they see the state on the mentorship's page)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.core.errors import MeridianError, show_error
from meridian.mentorships import agreement, sections, selectors
from meridian.mentorships.models import Mentorship
from meridian.mentorships.pair_forms import AcceptForm, ProposeForm, TemplateForm
from meridian.programs import selectors as program_selectors

PAGE = "mentorships/agreement.html"


def get_pair_mentorship(user: Any, public_id: UUID, *, write: bool = False) -> Mentorship:
    """The mentorship for its pair alone (``in_the_pair``), or for its current members
    with ``write``; else 404."""
    mentorship = selectors.get_mentorship_for_user(user, public_id)
    if not permissions.in_the_pair(user, mentorship):
        raise Http404
    if write and not permissions.takes_part(user, mentorship):
        raise Http404
    return mentorship


@login_required
def agreement_page(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id)
    return render(request, PAGE, sections.agreement_context(mentorship, request.user))


def _done(request: AuthedRequest, mentorship: Mentorship, text: str) -> HttpResponse:
    messages.success(request, text)
    url = reverse("mentorships:agreement", args=[mentorship.public_id])
    if request.htmx:  # the whole page changes: the new version, the history, the state
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@login_required
@require_POST
def agreement_propose(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            agreement.agreement_propose(
                mentorship=mentorship, user=request.user, terms=form.terms(), seen=form.cleaned_data["seen"]
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            return _done(request, mentorship, _("Proposed. Your partner is asked to accept it."))
    context = sections.agreement_context(mentorship, request.user, form=form)
    if request.htmx:  # htmx swaps 200 answers only: the errors are beside the fields
        return render(request, f"{PAGE}#propose_form", context)
    return render(request, PAGE, context, status=400)


@login_required
@require_POST
def agreement_accept(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the version to accept."))
        return redirect("mentorships:agreement", mentorship.public_id)
    try:
        version = agreement.agreement_accept(
            mentorship=mentorship, user=request.user, number=form.cleaned_data["number"]
        )
    except MeridianError as error:
        show_error(request, error)
        return redirect("mentorships:agreement", mentorship.public_id)
    text = _("Accepted: you have agreed how you work.") if version.agreed_at else _("Accepted.")
    return _done(request, mentorship, text)


@login_required
def agreement_template(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = program_selectors.get_program_for_user(request.user, public_id, write=True)
    form = TemplateForm(request.POST or None, initial=agreement.template_terms(program))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agreement.template_save(program=program, user=request.user, terms=form.terms())
            except MeridianError as error:
                show_error(request, error, form)
            else:
                messages.success(request, _("The agreement template is saved."))
                return redirect("mentorships:agreement_template", program.public_id)
        status = 200 if request.htmx else 400
    return render(
        request, "mentorships/agreement_template.html", {"program": program, "form": form}, status=status
    )
