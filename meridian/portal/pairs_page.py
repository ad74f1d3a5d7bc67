"""The program team's list of its pairs, per program and per cohort."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from meridian.accounts.http import AuthedRequest
from meridian.mentorships.models import MentorshipStatus
from meridian.portal import pairs


class PairSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search a member's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *MentorshipStatus.choices]
    )
    health = forms.ChoiceField(
        label=_("Health"),
        required=False,
        choices=[("", _("Any health")), ("at_risk", _("At risk")), ("check_in", _("Needs a check-in"))],
    )


def _render(request: AuthedRequest, scope: pairs.PairsScope) -> HttpResponse:
    form = PairSearchForm(request.GET or None)
    valid = form.is_valid()
    search = form.cleaned_data["q"].strip() if valid else ""
    status = form.cleaned_data["status"] if valid else ""
    health = form.cleaned_data["health"] if valid else ""
    page = pairs.pairs_page(scope, search, status, request.GET.get("page"), health)
    query = request.GET.copy()
    query.pop("page", None)
    template = "portal/pairs.html"
    if request.htmx:
        template += "#pairs"
    return render(
        request,
        template,
        {
            "scope": scope,
            "program": scope.program,
            "cohort": scope.cohort,
            "page": page,
            "form": form,
            "filtered": bool(search or status or health),
            "query": query.urlencode(),
        },
    )


@login_required
def program_pairs(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _render(request, pairs.get_pairs_scope_for_user(request.user, program_id=public_id))


@login_required
def cohort_pairs(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _render(request, pairs.get_pairs_scope_for_user(request.user, cohort_id=public_id))
