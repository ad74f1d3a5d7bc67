"""The enrolment table (search, filters, paging) and decisions on enrolments."""

from __future__ import annotations

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
from meridian.core.redirects import next_url
from meridian.programs import selectors, services
from meridian.programs.forms import EnrollmentFilterForm, WithdrawForm


@login_required
def enrollment_table(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_user(request.user, public_id, write=True)
    form = EnrollmentFilterForm(
        request.GET or None, program=program, departments=selectors.departments(program)
    )
    filters = (
        selectors.EnrollmentFilters(**form.cleaned_data) if form.is_valid() else selectors.EnrollmentFilters()
    )
    page = selectors.enrollment_table(program, filters, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    any_applied = any(e.status == "applied" for e in page.object_list)  # offer "Approve ticked"
    context = {
        "program": program,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "any_applied": any_applied,
    }
    template = "programs/enrollment_table.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_POST
def enrollment_decide(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    enrollment = selectors.get_enrollment_for_user(request.user, public_id, write=True)
    if not permissions.may_decide(request.user, enrollment):
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.enrollment_decide(enrollment=enrollment, approve=approve, actor=request.user)
    except MeridianError as error:
        show_error(request, error)
    else:
        messages.success(
            request, (_("Approved %s.") if approve else _("Declined %s.")) % enrollment.user.name
        )
    if request.htmx:
        # The row, and the message in the page's messages region (an out-of-band swap).
        return render(request, "programs/enrollment_table.html#decided", {"enrollment": enrollment})
    return _back(request, enrollment.cohort.program.public_id)


@login_required
def enrollment_withdraw(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    enrollment = selectors.get_enrollment_for_user(request.user, public_id, write=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_withdraw(enrollment=enrollment, reason=form.cleaned_data["reason"])
        except MeridianError as error:
            show_error(request, error)
        else:
            messages.success(request, _("Withdrawn from %s.") % enrollment.cohort)
        return redirect("programs:cohort", enrollment.cohort.public_id)
    return render(request, "programs/enrollment_withdraw.html", {"form": form, "enrollment": enrollment})


def _back(request: AuthedRequest, program_id: object) -> HttpResponse:
    return redirect(next_url(request, reverse("programs:enrollments", args=[program_id])))
