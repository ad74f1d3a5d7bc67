"""The development plan's pages: the goals of a mentorship (the pair sees them in full,
the program's managers titles and status), a goal with its milestones and progress
history, and the program's suggested goals. htmx gets back the part that changed."""

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
from meridian.mentorships import goals, selectors
from meridian.mentorships.goal_forms import GoalForm, ProgressForm, SamplesForm
from meridian.mentorships.models import Goal, Mentorship
from meridian.programs.selectors import get_program_for_user

LIST = "mentorships/goals.html"
DETAIL = "mentorships/goal_detail.html"


def _list_context(
    request: AuthedRequest, mentorship: Mentorship, form: GoalForm | None = None
) -> dict[str, Any]:
    full = permissions.in_the_pair(request.user, mentorship)
    if not full and not permissions.may_see_goal_titles(request.user, mentorship):
        raise Http404
    writer = permissions.takes_part(request.user, mentorship)
    return {
        "mentorship": mentorship,
        "goals": list(goals.goals_of(mentorship, full=full)),
        "full": full,
        "form": (form or GoalForm()) if writer else None,
        "samples": list(goals.samples_of(mentorship.program)) if writer else [],
    }


def _done(request: AuthedRequest, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def goal_list(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, public_id)
    if request.method != "POST":
        return render(request, LIST, _list_context(request, mentorship))
    if not permissions.takes_part(request.user, mentorship):
        raise Http404
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            goal = goals.goal_create(mentorship=mentorship, user=request.user, data=form.to_input())
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The goal is added."))
            return _done(request, reverse("mentorships:goal", args=[goal.public_id]))
    context = _list_context(request, mentorship, form)
    return render(request, f"{LIST}#add_form" if request.htmx else LIST, context)


@login_required
@require_POST
def goal_suggested(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, public_id)
    if not permissions.takes_part(request.user, mentorship):
        raise Http404
    try:
        sample = int(request.POST.get("sample", ""))
        goal = goals.goal_from_sample(mentorship=mentorship, user=request.user, sample_id=sample)
    except (ValueError, MeridianError):
        messages.error(request, _("Choose one of the program's suggestions."))
        return _done(request, reverse("mentorships:goals", args=[mentorship.public_id]))
    messages.success(request, _("The goal is added: describe it and add its milestones."))
    return _done(request, reverse("mentorships:goal", args=[goal.public_id]) + "#goal-edit")


def _detail_context(request: AuthedRequest, goal: Goal, **forms: Any) -> dict[str, Any]:
    writer = permissions.takes_part(request.user, goal.mentorship)
    return {
        "goal": goal,
        "mentorship": goal.mentorship,
        "milestones": list(goal.milestones.all()),
        "history": list(goals.history_of(goal)),
        "writer": writer,
        "edit_form": forms.get("edit_form") or (GoalForm.for_goal(goal) if writer else None),
        "progress_form": forms.get("progress_form")
        or (ProgressForm(initial={"progress": goal.progress, "status": goal.status}) if writer else None),
    }


@login_required
def goal_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    goal = selectors.get_goal_for_user(request.user, public_id)
    return render(request, DETAIL, _detail_context(request, goal))


@login_required
@require_POST
def goal_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    goal = selectors.get_goal_for_user(request.user, public_id, write=True)
    form = GoalForm(request.POST, prefix="edit")
    if form.is_valid():
        try:
            goals.goal_update(goal=goal, user=request.user, data=form.to_input())
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The goal is saved."))
            return _done(request, reverse("mentorships:goal", args=[goal.public_id]))
    context = _detail_context(request, goal, edit_form=form)
    return render(request, f"{DETAIL}#edit_form" if request.htmx else DETAIL, context)


@login_required
@require_POST
def goal_progress(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    goal = selectors.get_goal_for_user(request.user, public_id, write=True)
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            goals.goal_progress(
                goal=goal,
                user=request.user,
                progress=data["progress"],
                comment=data["comment"],
                status=data["status"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            goal = selectors.get_goal_for_user(request.user, public_id)
            if not request.htmx:
                messages.success(request, _("Progress is saved."))
                return redirect("mentorships:goal", goal.public_id)
            return render(
                request, f"{DETAIL}#progress_part", {**_detail_context(request, goal), "saved": True}
            )
    context = _detail_context(request, goal, progress_form=form)
    return render(request, f"{DETAIL}#progress_part" if request.htmx else DETAIL, context)


@login_required
@require_POST
def milestone_mark(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """Tick or untick one of the goal's milestones, named by its number in the form: the
    address names the goal alone, and a number of another goal's milestone finds nothing."""
    goal = selectors.get_goal_for_user(request.user, public_id, write=True)
    number = request.POST.get("milestone", "")
    milestone = next((m for m in goal.milestones.all() if str(m.pk) == number), None)
    if milestone is None:
        raise Http404
    goals.goal_milestone_mark(milestone=milestone, user=request.user, done=bool(request.POST.get("done")))
    if request.htmx:
        return render(request, f"{DETAIL}#milestone", {"m": milestone, "goal": goal, "writer": True})
    return redirect("mentorships:goal", goal.public_id)


@login_required
def sample_goals(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = get_program_for_user(request.user, public_id, write=True)
    current = list(goals.samples_of(program))
    form = SamplesForm(request.POST or None, initial={"titles": "\n".join(s.title for s in current)})
    if request.method == "POST" and form.is_valid():
        try:
            goals.goal_samples_save(program=program, user=request.user, titles=form.cleaned_data["titles"])
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The suggested goals are saved."))
            return redirect("mentorships:sample_goals", program.public_id)
    return render(
        request, "mentorships/sample_goals.html", {"program": program, "form": form, "samples": current}
    )
