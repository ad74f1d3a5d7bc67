"""Applications are not decided blind: one applicant's page (their profile and why they
are joining), and approving or declining several at once after a confirmation."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile
from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.core.redirects import next_url
from meridian.programs import selectors, services
from meridian.programs.models import Enrollment

MAX_AT_ONCE = selectors.PAGE_SIZE  # one page of the People table


@login_required
def application_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The applicant's profile and answer, for the program's managers (others: 404)."""
    enrollment = selectors.get_enrollment_for_user(request.user, public_id, write=True)
    if not permissions.may_decide(request.user, enrollment):
        raise Http404
    profile = Profile.objects.filter(user=enrollment.user).first()
    return render(
        request,
        "programs/application.html",
        {"enrollment": enrollment, "profile": profile, "program": enrollment.cohort.program},
    )


@login_required
@require_POST
def applications_decide(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """Approve or decline the ticked applications: first a page naming who, then, once
    confirmed, all of them or none (one transaction through ``services.enrollment_decide``)."""
    program = selectors.get_program_for_user(request.user, public_id, write=True)
    back = _back(request, program.public_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Choose to approve or to decline."))
        return back
    ids = [selectors.parse_uuid(value) for value in request.POST.getlist("ids")[: MAX_AT_ONCE + 1]]
    if not ids:
        messages.error(request, _("Tick the applications to decide first."))
        return back
    if len(ids) > MAX_AT_ONCE:
        messages.error(request, _("Decide at most %d applications at once.") % MAX_AT_ONCE)
        return back
    rows = Enrollment.objects.filter(cohort__program=program, public_id__in=ids)
    approve = decision == "approve"
    if request.POST.get("confirm") != "yes":
        chosen = list(rows.select_related("user", "cohort").order_by("user__name", "pk"))
        if len(chosen) != len(set(ids)):
            raise Http404  # someone else's program, or a made-up id: confirm nothing
        return render(
            request,
            "programs/applications_confirm.html",
            {
                "program": program,
                "chosen": chosen,
                "approve": approve,
                "next": _safe_next(request, program.public_id),
            },
        )
    try:
        with transaction.atomic():
            locked = list(
                rows.select_related("user", "cohort__program")
                .select_for_update(of=("self",))
                .order_by("user__name", "pk")
            )
            if len(locked) != len(set(ids)):
                raise Http404
            for enrollment in locked:
                try:
                    services.enrollment_decide(enrollment=enrollment, approve=approve, actor=request.user)
                except MeridianError as error:
                    raise MeridianError(f"{enrollment.user.name}: {error}") from error
    except MeridianError as error:
        messages.error(request, _("Nothing was changed. %s") % error)
        return back
    names = ", ".join(e.user.name for e in locked)
    count = len(locked)
    if approve:
        text = ngettext(
            "Approved %(n)d application: %(names)s.", "Approved %(n)d applications: %(names)s.", count
        )
    else:
        text = ngettext(
            "Declined %(n)d application: %(names)s.", "Declined %(n)d applications: %(names)s.", count
        )
    messages.success(request, text % {"n": count, "names": names})
    return back


def _safe_next(request: AuthedRequest, program_id: object) -> str:
    return next_url(request, reverse("programs:enrollments", args=[program_id]))


def _back(request: AuthedRequest, program_id: object) -> HttpResponse:
    return redirect(_safe_next(request, program_id))
