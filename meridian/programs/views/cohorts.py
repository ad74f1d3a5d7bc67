"""Cohort pages: create, overview with members, edit, invite, apply."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import User
from meridian.core import outbox, permissions
from meridian.core.errors import MeridianError, show_error
from meridian.programs import selectors, services
from meridian.programs.forms import ApplyForm, CohortForm, InviteForm, MemberSearchForm
from meridian.programs.models import Cohort, Enrollment


@login_required
def cohort_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_user(request.user, public_id, write=True)
    form = CohortForm(
        request.POST or None,
        program=program,
        initial={"starts_on": program.starts_on, "ends_on": program.ends_on},
    )
    if request.method == "POST" and form.is_valid():
        form.instance.program = program
        cohort = form.save()
        messages.success(request, _("Cohort created."))
        return redirect("programs:cohort", cohort.public_id)
    return render(request, "programs/cohort_form.html", {"form": form, "program": program})


@login_required
def cohort_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for_user(request.user, public_id, write=True)
    form = CohortForm(request.POST or None, instance=cohort, program=cohort.program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Cohort saved."))
        return redirect("programs:cohort", cohort.public_id)
    return render(
        request, "programs/cohort_form.html", {"form": form, "program": cohort.program, "cohort": cohort}
    )


@login_required
def cohort_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for_user(request.user, public_id)
    mine = Enrollment.objects.filter(cohort=cohort, user=request.user).first()
    sees_members = permissions.may_see_members(request.user, cohort)
    search = MemberSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    members = selectors.cohort_members(cohort, query, request.GET.get("page")) if sees_members else None
    context = {
        "cohort": cohort,
        "program": cohort.program,
        "mine": mine,
        "manages": permissions.may_manage_program(request.user, cohort.program),
        "members": members,
        "search": search,
        "query": urlencode({"q": query}) if query else "",
        "may_apply": permissions.may_apply(request.user, cohort)
        and (mine is None or mine.status in ("withdrawn", "declined")),
    }
    template = "programs/cohort_detail.html"
    if request.htmx and members is not None:
        template += "#members"
    return render(request, template, context)


@login_required
def cohort_apply(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for_user(request.user, public_id)
    refusal = _why_not_apply(request.user, cohort)
    if refusal:
        messages.info(request, refusal)
        return redirect("programs:cohort", cohort.public_id)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_apply(
                user=request.user,
                cohort=cohort,
                role=form.cleaned_data["role"],
                capacity=form.cleaned_data["capacity"] or 1,
                motivation=form.cleaned_data["motivation"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("Application sent. The program team will review it."))
            return redirect("programs:cohort", cohort.public_id)
    return render(request, "programs/cohort_apply.html", {"form": form, "cohort": cohort})


def _why_not_apply(user: User, cohort: Cohort) -> str:
    """Why ``user`` cannot apply to ``cohort`` now, or "" when they can."""
    mine = Enrollment.objects.filter(cohort=cohort, user=user, status__in=permissions.OPEN_STATES).first()
    if mine is not None:
        return {
            "invited": _("You are already invited to %s."),
            "applied": _("You have already applied to %s. The program team will review your application."),
        }.get(mine.status, _("You are already a member of %s.")) % cohort.name
    if not permissions.may_apply(user, cohort):
        return _("%s is not taking applications at the moment.") % cohort.name
    return ""


def _say_how_invitations_went(request: AuthedRequest, went: outbox.Delivery) -> None:
    """The invitations are saved; say whether their emails left (the job may have run at
    commit), wait for the mail server, or wait in the queue for the worker."""
    if went.sent:
        messages.success(
            request, ngettext("%d invitation sent.", "%d invitations sent.", went.sent) % went.sent
        )
    if went.waiting:
        messages.warning(
            request,
            ngettext(
                "%d invitation saved; the mail server is not answering, "
                "so it will be sent when mail is back.",
                "%d invitations saved; the mail server is not answering, "
                "so they will be sent when mail is back.",
                went.waiting,
            )
            % went.waiting,
        )
    if went.failed:
        messages.error(
            request,
            ngettext(
                "%d invitation saved, but the mail server refused its email; check the address.",
                "%d invitations saved, but the mail server refused their emails; check the addresses.",
                went.failed,
            )
            % went.failed,
        )
    if went.queued:
        messages.success(
            request,
            ngettext(
                "%d invitation saved; its email is queued and goes out in a moment.",
                "%d invitations saved; their emails are queued and go out in a moment.",
                went.queued,
            )
            % went.queued,
        )


@login_required
def cohort_invite(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for_user(request.user, public_id, write=True)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with outbox.collect() as emails:
            result = services.invitations_send(cohort=cohort, actor=request.user, **form.cleaned_data)
        _say_how_invitations_went(request, outbox.delivery(emails))
        if result.already_members:
            messages.warning(
                request, _("Already in the cohort, not invited: %s") % ", ".join(result.already_members)
            )
        return redirect("programs:invite", cohort.public_id)
    return render(
        request,
        "programs/cohort_invite.html",
        {
            "form": form,
            "cohort": cohort,
            "invitations": selectors.pending_invitations(cohort),
        },
    )
