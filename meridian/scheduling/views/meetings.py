"""A mentorship's meetings page (mutual times, proposals, what is coming, the past) and one
meeting's page, with the changes a member makes to it. Managers of the program see when
and how the pair meets, never links, numbers or notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.core.errors import MeridianError, show_error
from meridian.mentorships import selectors as mentorship_selectors
from meridian.mentorships.models import Mentorship
from meridian.scheduling import channels, finder, selectors, services
from meridian.scheduling.forms import (
    AcceptForm,
    ConsentForm,
    MeetingMoveForm,
    OutcomeForm,
    ProposeForm,
    ReasonForm,
)
from meridian.scheduling.models import Channel, Meeting, MeetingStatus, VideoSource
from meridian.scheduling.notes_panel import panel_for


def _weeks(request: AuthedRequest) -> int:
    try:
        return int(request.GET.get("weeks", finder.DEFAULT_WEEKS))
    except ValueError:
        return finder.DEFAULT_WEEKS


def _propose_form(mentorship: Mentorship, data: Any = None) -> ProposeForm:
    program = mentorship.program
    initial = {
        "minutes": program.meeting_minutes,
        "channel": Channel.VIDEO,
        "video_source": VideoSource.JITSI,
        "fallback": Channel.PHONE,
        "repeat_weeks": program.cadence_weeks,
        "repeat_count": 6,
    }
    return ProposeForm(data, initial=initial)


@login_required
@require_GET
def schedule(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = mentorship_selectors.get_mentorship_for_user(request.user, public_id)
    return _schedule_page(request, mentorship, _propose_form(mentorship))


def _schedule_page(
    request: AuthedRequest, mentorship: Mentorship, form: ProposeForm, status: int = 200
) -> HttpResponse:
    members = [m for m in mentorship.members.all() if m.is_current]  # prefetched with their profiles
    member = permissions.takes_part(request.user, mentorship)
    mine = next((m for m in members if m.user_id == request.user.pk), None)
    mutual = None
    if member:
        minutes = getattr(form, "cleaned_data", {}).get("minutes") or mentorship.program.meeting_minutes
        mutual = finder.for_members(
            [m.user for m in members], request.user, weeks=_weeks(request), minutes=minutes
        )
    picked = {str(v) for v in form.data.getlist("starts")} if isinstance(form.data, QueryDict) else set()
    minutes = getattr(form, "cleaned_data", {}).get("minutes") or mentorship.program.meeting_minutes
    typed = _typed(form, "other", request.GET.get("other", ""))
    other_warnings = (
        finder.off_hours([m.user for m in members], request.user, typed, minutes) if typed else []
    )
    return render(
        request,
        "scheduling/schedule.html",
        {
            "mentorship": mentorship,
            "members": members,
            "others": [m for m in members if m.user_id != request.user.pk],
            "member": member,
            "schedule": selectors.schedule_of(mentorship),
            "mutual": mutual,
            "weeks_choices": (1, 2, 4, 8),
            "form": form,
            "picked": picked,
            "other_warnings": other_warnings if member else [],
            "has_video_link": bool(mine and mine.user.profile.video_link),
        },
        status=status,
    )


@login_required
@require_POST
def propose(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentorship = mentorship_selectors.get_mentorship_for_user(request.user, public_id, write=True)
    form = _propose_form(mentorship, request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_propose(
                mentorship=mentorship, user=request.user, proposal=form.proposal()
            )
        except MeridianError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, _("Your proposal is on its way: the others pick one of the times."))
            if form.cleaned_data.get("other"):
                people = [m.user for m in selectors.members_of(mentorship)]
                for off in finder.off_hours(
                    people, request.user, form.cleaned_data["other"], meeting.minutes
                ):
                    messages.warning(request, off.text)
            return redirect("scheduling:meeting", meeting.public_id)
    return _schedule_page(request, mentorship, form, status=400)


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, public_id)
    return _meeting_page(request, meeting)


def _meeting_page(
    request: AuthedRequest, meeting: Meeting, forms: dict[str, Any] | None = None
) -> HttpResponse:
    mentorship = meeting.mentorship
    members = selectors.members_of(mentorship)
    member = permissions.takes_part(request.user, mentorship)
    forms = forms or {}
    consent_rows = list(meeting.consents.all())
    consents = {c.user_id: c.consents for c in consent_rows}
    moment = services.now()
    move_form = forms.get("move") or MeetingMoveForm(prefix="move")
    typed = _typed(move_form, "when", request.GET.get("move-when", "")) if member else None
    people = [m.user for m in members]
    context = {
        "meeting": meeting,
        "mentorship": mentorship,
        "members": members,
        "member": member,
        "is_proposer": meeting.proposed_by_id == request.user.pk,
        "main": channels.way(meeting, meeting.channel, members, request.user, now=moment),
        "fallback": channels.way(meeting, meeting.fallback, members, request.user, now=moment),
        "consents": [(m, consents.get(m.user_id)) for m in members],
        "my_consent": consents.get(request.user.pk, False),
        "recordable": selectors.recording_allowed(members, consent_rows),
        "history": selectors.history(meeting),
        "started": meeting.starts_at is not None and meeting.starts_at <= moment,
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "cancel_form": forms.get("cancel") or ReasonForm(prefix="cancel"),
        "move_form": move_form,
        "move_warnings": finder.off_hours(people, request.user, typed, meeting.minutes) if typed else [],
        "panel": panel_for(meeting, request.user),
        "open_states": (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED),
    }
    return render(request, "scheduling/meeting_detail.html", context, status=400 if forms else 200)


def _typed(form: django_forms.Form, name: str, asked: str) -> dt.datetime | None:
    """The time typed in ``form``'s field ``name``: as posted, or as the page is asked to
    check it before saving (``?move-when=`` or ``?other=``, read in the viewer's zone)."""
    if form.is_bound:
        value = getattr(form, "cleaned_data", {}).get(name)
        return value if isinstance(value, dt.datetime) else None
    if not asked or len(asked) > 40:
        return None
    try:
        value = form.fields[name].clean(asked)
    except django_forms.ValidationError:
        return None
    return value if isinstance(value, dt.datetime) else None


def _act(
    request: AuthedRequest,
    public_id: UUID,
    form: Any,
    key: str,
    change: Callable[[Meeting, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, public_id, write=True)
    if form.is_valid():
        try:
            change(meeting, form.cleaned_data)
        except MeridianError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, done)
            return redirect("scheduling:meeting", meeting.public_id)
    if key:
        return _meeting_page(request, meeting, {key: form})
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("scheduling:meeting", meeting.public_id)


@login_required
@require_POST
def accept(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        AcceptForm(request.POST),
        "",
        lambda m, d: services.meeting_accept(meeting=m, user=request.user, start=d["start"]),
        _("Accepted: everyone gets a calendar invitation."),
    )


@login_required
@require_POST
def decline(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        ReasonForm(request.POST, prefix="decline"),
        "decline",
        lambda m, d: services.meeting_decline(meeting=m, user=request.user, reason=d["reason"]),
        _("Declined; they can propose other times."),
    )


@login_required
@require_POST
def move(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    def change(meeting: Meeting, data: dict[str, Any]) -> None:
        services.meeting_move(meeting=meeting, user=request.user, start=data["when"], reason=data["reason"])
        people = [m.user for m in selectors.members_of(meeting.mentorship)]
        for off in finder.off_hours(people, request.user, data["when"], meeting.minutes):
            messages.warning(request, off.text)

    return _act(
        request,
        public_id,
        MeetingMoveForm(request.POST, prefix="move"),
        "move",
        change,
        _("Moved: everyone gets the updated invitation."),
    )


@login_required
@require_POST
def cancel(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        ReasonForm(request.POST, prefix="cancel"),
        "cancel",
        lambda m, d: services.meeting_cancel(meeting=m, user=request.user, reason=d["reason"]),
        _("Cancelled: everyone's calendar is updated."),
    )


@login_required
@require_POST
def outcome(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    return _act(
        request,
        public_id,
        OutcomeForm(request.POST),
        "",
        lambda m, d: services.meeting_record_outcome(meeting=m, user=request.user, outcome=d["outcome"]),
        _("Thank you: the meeting is marked."),
    )


@login_required
@require_POST
def consent(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    def change(meeting: Meeting, data: dict[str, Any]) -> None:
        services.consent_set(meeting=meeting, user=request.user, consents=data["consents"])

    given = request.POST.get("consents") in ("on", "true", "1")
    return _act(
        request,
        public_id,
        ConsentForm(request.POST),
        "",
        change,
        _("You agreed that this meeting may be recorded.") if given else _("You did not agree to recording."),
    )
