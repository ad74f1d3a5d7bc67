"""A quick check-in and an unresponsive-partner report, sent from the mentorship's page by
its current members (404 for anybody else). htmx gets the section back; a plain POST goes
back to the mentorship's page, or, refused, gets that page's section with the reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.mentorships import checkins, reports, sections
from meridian.mentorships.pair_forms import CheckInForm, ReportForm
from meridian.mentorships.views.agreement import get_pair_mentorship

CHECKIN = "mentorships/_checkin_section.html"
REPORT = "mentorships/_report_section.html"


def _send_from_section(
    request: AuthedRequest,
    mentorship: Any,
    form: Form,
    *,
    send: Callable[[dict[str, Any]], object],
    sent_message: str,
    context_of: Callable[..., dict[str, Any]],
    section: str,
    answer: str,
) -> HttpResponse:
    """Send what a section's form holds: on success, the section again (htmx) or the
    mentorship's page; refused, the section with the reasons beside the fields."""
    sent = False
    if form.is_valid():
        try:
            send(form.cleaned_data)
        except MeridianError as error:
            show_error(request, error, form)
        else:
            sent = True
            messages.success(request, sent_message)
            if not request.htmx:
                return redirect("portal:workspace", mentorship.public_id)
    if not sent:
        messages.error(request, _("Not sent: see the reason in the form."))
    context = context_of(mentorship, request.user, form=None if sent else form, sent=sent)
    if request.htmx:
        return render(request, f"{section}#{answer}", {**context, "request": request})
    return render(request, "mentorships/pair_retry.html", {**context, "section": section}, status=400)


@login_required
@require_POST
def checkin_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    return _send_from_section(
        request,
        mentorship,
        CheckInForm(request.POST),
        send=lambda data: checkins.checkin_create(
            mentorship=mentorship, user=request.user, mood=data["mood"], line=data["line"]
        ),
        sent_message=_("Check-in sent."),
        context_of=sections.checkin_context,
        section=CHECKIN,
        answer="checkin_answer",
    )


@login_required
@require_POST
def report_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    return _send_from_section(
        request,
        mentorship,
        ReportForm(request.POST),
        send=lambda data: reports.report_unresponsive(
            mentorship=mentorship, user=request.user, since=data["since"], tried=data["tried"]
        ),
        sent_message=_("Sent to the program team."),
        context_of=sections.report_context,
        section=REPORT,
        answer="report_answer",
    )
