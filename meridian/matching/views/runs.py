"""A cohort's matching: settings and runs; a run's progress, re-run, publishing, comparison."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.matching import adapter, naming, selectors, wording
from meridian.matching.forms import RunSettingsForm
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services import publishing
from meridian.matching.services.runs import run_start
from meridian.programs.selectors import get_cohort_for_user


@login_required
def cohort_matching(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The settings form (the last run's settings, else the defaults) and the runs so far."""
    cohort = get_cohort_for_user(request.user, public_id, write=True)
    runs = list(selectors.runs_of(cohort))
    settings = runs[0].settings if runs else adapter.default_settings(cohort)
    form = RunSettingsForm(request.POST or None, initial=RunSettingsForm.initial_from(settings))
    if request.method == "POST" and form.is_valid():
        run = run_start(cohort=cohort, actor=request.user, settings=form.settings())
        return redirect("matching:run", run.public_id)
    sides = selectors.cohort_sides(cohort)
    return render(
        request,
        "matching/cohort_matching.html",
        {"cohort": cohort, "program": cohort.program, "form": form, "runs": runs, "sides": sides},
        status=400 if form.errors else 200,
    )


@login_required
def run_progress(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The progress bar, polled by htmx while a run solves; the page reloads when it ends."""
    run = selectors.get_run_for_user(request.user, public_id)
    response = render(request, "matching/_progress.html", {"run": run})
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_rerun(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """A new run with the same settings, keeping this run's locked pairs."""
    run = selectors.get_run_for_user(request.user, public_id)
    new = run_start(cohort=run.cohort, actor=request.user, settings=run.settings, based_on=run)
    return redirect("matching:run", new.public_id)


@login_required
@require_POST
def run_publish(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, public_id)
    try:
        done = publishing.run_publish(run=run, actor=request.user)
    except MeridianError as exc:
        show_error(request, exc)
        return redirect("matching:run", run.public_id)
    text = ngettext(
        "Published: %(n)d mentorship started, and everyone was emailed an introduction.",
        "Published: %(n)d mentorships started, and everyone was emailed an introduction.",
        done.mentorships,
    ) % {"n": done.mentorships}
    if done.skipped:
        text += " " + ngettext(
            "%(n)d mentee already had a mentor and was left as they were.",
            "%(n)d mentees already had a mentor and were left as they were.",
            done.skipped,
        ) % {"n": done.skipped}
    messages.success(request, text)
    return redirect("matching:run", run.public_id)


@login_required
def run_compare(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """Two runs side by side: their settings, figures, and the mentees matched differently."""
    run = selectors.get_run_for_user(request.user, public_id)
    other_id = request.GET.get("with", "")
    others = [r for r in selectors.runs_of(run.cohort) if r.pk != run.pk]
    other: MatchRun | None = None
    if other_id:  # one of the same cohort's runs, which the manager may see with this one
        other = next((r for r in others if str(r.public_id) == other_id), None)
        if other is None:
            raise Http404
    diff = selectors.runs_compared(run, other, twins=naming.twins(run.cohort)) if other else None
    return render(
        request,
        "matching/run_compare.html",
        {
            "run": run,
            "other": other,
            "others": others,
            "diff": diff,
            "settings": wording.setting_rows(diff.settings) if diff else [],
            "cohort": run.cohort,
        },
    )
