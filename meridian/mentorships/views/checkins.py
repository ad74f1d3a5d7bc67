"""A quick check-in and an unresponsive-partner report, sent from the mentorship's page by
its current members (404 for anybody else). htmx gets the section back; a plain POST goes
back to the mentorship's page, or, refused, gets that page's section with the reasons."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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


@login_required
@require_POST
def checkin_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    form = CheckInForm(request.POST)
    sent = False
    if form.is_valid():
        try:
            checkins.checkin_create(
                mentorship=mentorship,
                user=request.user,
                mood=form.cleaned_data["mood"],
                line=form.cleaned_data["line"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            sent = True
            messages.success(request, _("Check-in sent."))
            if not request.htmx:
                return redirect("portal:workspace", mentorship.public_id)
    if not sent:
        messages.error(request, _("Not sent: see the reason in the form."))
    context = sections.checkin_context(mentorship, request.user, form=None if sent else form, sent=sent)
    if request.htmx:
        return render(request, f"{CHECKIN}#checkin_answer", {**context, "request": request})
    return render(request, "mentorships/pair_retry.html", {**context, "section": CHECKIN}, status=400)


@login_required
@require_POST
def report_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = get_pair_mentorship(request.user, public_id, write=True)
    form = ReportForm(request.POST)
    sent = False
    if form.is_valid():
        try:
            reports.report_unresponsive(
                mentorship=mentorship,
                user=request.user,
                since=form.cleaned_data["since"],
                tried=form.cleaned_data["tried"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            sent = True
            messages.success(request, _("Sent to the program team."))
            if not request.htmx:
                return redirect("portal:workspace", mentorship.public_id)
    if not sent:
        messages.error(request, _("Not sent: see the reason in the form."))
    context = sections.report_context(mentorship, request.user, form=None if sent else form, sent=sent)
    if request.htmx:
        return render(request, f"{REPORT}#report_answer", {**context, "request": request})
    return render(request, "mentorships/pair_retry.html", {**context, "section": REPORT}, status=400)
