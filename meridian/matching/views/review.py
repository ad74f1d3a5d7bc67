"""Reviewing a run before publishing: the pairs and the quality report; lock, exclude,
unmatch, swap and move pairs (with what each costs); "why not this mentor?"."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.core.redirects import next_url, safe_url
from meridian.matching import editing, naming, selectors
from meridian.matching.forms import CRITERION_LABELS, ExcludeForm, MoveForm, SearchForm, SwapForm
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services import review
from meridian.matching.templatetags.matching_review import signed

CRITERIA_NAMES = {key: label for key, (label, _help) in CRITERION_LABELS.items()}


@login_required
def run_review(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, public_id)
    search = SearchForm.text(request.GET.get("q", ""))
    done = run.status in (RunStatus.DONE, RunStatus.PUBLISHED)
    page = selectors.proposals_page(run, search=search, page=request.GET.get("page")) if done else None
    twins = naming.twins(run.cohort)
    return render(
        request,
        "matching/run_review.html",
        {
            "run": run,
            "cohort": run.cohort,
            "program": run.cohort.program,
            "page": page,
            "search": search,
            "histogram": selectors.histogram(run) if done else [],
            "criteria": CRITERIA_NAMES,
            "others": [r for r in selectors.runs_of(run.cohort) if r.pk != run.pk][:20],
            "twins": twins,
            "unmatched": selectors.unmatched(run, twins) if done else [],
        },
    )


def _back(request: AuthedRequest, run: MatchRun) -> HttpResponse:
    """Back to the review page, keeping the page and search the manager was on."""
    page = reverse("matching:run", args=[run.public_id])
    return redirect(next_url(request, page, under=page))


def _cost(change: editing.Change) -> str:
    """The change in figures, and every mentee whose mentor it changes."""
    text = _("Total score %(before).2f → %(after).2f (%(delta)s); %(gap).2f below the engine's optimum.") % {
        "before": change.before,
        "after": change.after,
        "delta": signed(change.delta),
        "gap": max(0.0, change.below_optimum),
    }
    moves = [
        _("%(mentee)s: %(before)s → %(after)s")
        % {
            "mentee": m.mentee,
            "before": m.before or _("no mentor"),
            "after": m.after or _("no mentor"),
        }
        for m in change.moves
    ]
    return text + " " + _("Changed: %(moves)s.") % {"moves": "; ".join(moves)} if moves else text


@login_required
@require_POST
def lock(request: AuthedRequest, public_id: UUID, mentee_id: UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, public_id, mentee_id, write=True)
    run = proposal.run
    try:
        proposal = review.proposal_lock_toggle(proposal=proposal)
    except MeridianError as exc:
        show_error(request, exc)
        return _back(request, run)
    if request.htmx:
        context = {"run": run, "p": proposal, "twins": naming.twins(run.cohort)}
        return render(request, "matching/_lock_button.html", context)
    return _back(request, run)


@login_required
@require_POST
def exclude(request: AuthedRequest, public_id: UUID, mentee_id: UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, public_id, mentee_id, write=True)
    run = proposal.run
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reason is too long: at most 300 characters. Nothing was changed."))
        return _back(request, run)
    try:
        review.proposal_exclude(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
    except MeridianError as exc:
        show_error(request, exc)
    else:
        messages.success(
            request,
            _(
                "%(mentee)s and %(mentor)s will never be proposed together in this cohort. "
                "Re-run to find %(mentee)s another mentor."
            )
            % {
                "mentee": naming.label(proposal.mentee.user, naming.twins(run.cohort)),
                "mentor": naming.label(proposal.mentor.user, naming.twins(run.cohort)),
            },
        )
    return _back(request, run)


@login_required
@require_POST
def unmatch(request: AuthedRequest, public_id: UUID, mentee_id: UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for_user(request.user, public_id, mentee_id, write=True)
    run = proposal.run
    try:
        review.proposal_unmatch(proposal=proposal)
    except MeridianError as exc:
        show_error(request, exc)
    else:
        messages.success(
            request,
            _("%(mentee)s is unmatched in this run.")
            % {"mentee": naming.label(proposal.mentee.user, naming.twins(run.cohort))},
        )
    return _back(request, run)


@login_required
@require_POST
def swap(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, public_id)
    form = SwapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick exactly two pairs to swap their mentors."))
        return _back(request, run)
    pairs = list(
        run.proposals.select_related("mentee__user", "mentor__user").filter(pk__in=form.cleaned_data["pair"])
    )
    if len(pairs) != 2:
        messages.error(request, _("One of those pairs is no longer in this run. Tick two pairs again."))
        return _back(request, run)
    try:
        change = review.proposal_swap(first=pairs[0], second=pairs[1])
    except MeridianError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Mentors swapped.") + " " + _cost(change))
    return _back(request, run)


@login_required
@require_POST
def move(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, public_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a mentee and a mentor."))
        return _back(request, run)
    mentee = selectors.member_by_public_id(run.cohort, form.cleaned_data["mentee"], "mentee")
    mentor = selectors.member_by_public_id(run.cohort, form.cleaned_data["mentor"], "mentor")
    try:
        change = review.run_move(run=run, mentee=mentee, mentor=mentor)
    except MeridianError as exc:
        show_error(request, exc)
    else:
        twins = naming.twins(run.cohort)
        text = _("%(mentee)s now goes to %(mentor)s.") % {
            "mentee": naming.label(mentee.user, twins),
            "mentor": naming.label(mentor.user, twins),
        }
        messages.success(request, text + " " + _cost(change))
    return _back(request, run)


@login_required
def why_not(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """For one mentee: their best alternatives, and the answer for one mentor."""
    run = selectors.get_run_for_user(request.user, public_id)
    mentee = selectors.member_by_public_id(run.cohort, request.GET.get("mentee", ""), "mentee")
    mentor_id = request.GET.get("mentor", "")
    name = SearchForm.text(request.GET.get("name", ""))
    answer = None
    if mentor_id:
        mentor = selectors.member_by_public_id(run.cohort, mentor_id, "mentor")
        answer = editing.why_not(run=run, mentee=mentee, mentor=mentor)
    proposal = run.proposals.select_related("mentor__user").filter(mentee=mentee).first()
    return render(
        request,
        "matching/why_not.html",
        {
            "run": run,
            "cohort": run.cohort,
            "mentee": mentee,
            "proposal": proposal,
            "answer": answer,
            "alternatives": editing.alternatives(run=run, mentee=mentee) if not answer else [],
            "twins": naming.twins(run.cohort),
            "found": selectors.mentors_named(run.cohort, name) if name else [],
            "name": name,
            "criteria": CRITERIA_NAMES,
        },
    )


@login_required
def swaps(request: AuthedRequest, public_id: UUID, mentee_id: UUID) -> HttpResponse:
    """The swaps allowed for one pair with their cost (a fragment in the pair's panel)."""
    proposal = selectors.get_proposal_for_user(request.user, public_id, mentee_id, write=True)
    run = proposal.run
    found = editing.swap_list(run=run, proposal=proposal) if run.is_editable else None
    template = "matching/_swap_list.html" if request.htmx else "matching/swaps.html"
    page = reverse("matching:run", args=[run.public_id])
    came = request.htmx.current_url_abs_path if request.htmx else request.GET.get("next")
    context = {
        "run": run,
        "cohort": run.cohort,
        "p": proposal,
        "swaps": found,
        "back": safe_url(request, came, page, under=page),
    }
    return render(request, template, context)
