"""What the pair's sections show (the agreement, check-ins, an unresponsive partner), for
one viewer: the pair reads everything; the program's managers and administrators see
state, counts and dates, and the unresponsive reports addressed to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from meridian.core import permissions
from meridian.mentorships import agreement, checkins, reports, weekly
from meridian.mentorships.models import AgreementVersion, Member, Mentorship
from meridian.mentorships.pair_forms import CheckInForm, ProposeForm, ReportForm


@dataclass(frozen=True)
class Reading:
    """One member's reading of a version's meeting times, on their own clock."""

    name: str
    zone: str
    windows: list[str]
    is_viewer: bool


def _members(mentorship: Mentorship) -> list[Member]:
    return [m for m in mentorship.members.all() if m.is_current]


def readings(version: AgreementVersion | None, members: list[Member], viewer: Any) -> list[Reading]:
    if version is None or not version.meeting_times:
        return []
    monday = weekly.next_monday(timezone.localdate())
    return [
        Reading(
            name=m.user.name,
            zone=m.user.time_zone,
            windows=weekly.on_clock(version.meeting_times, version.times_zone, m.user.time_zone, monday),
            is_viewer=m.user_id == viewer.pk,
        )
        for m in members
    ]


def agreement_context(mentorship: Mentorship, user: Any, *, form: Any = None) -> dict[str, Any]:
    members = _members(mentorship)
    in_pair = permissions.in_the_pair(user, mentorship)
    writer = permissions.takes_part(user, mentorship)
    state = agreement.state_for(mentorship, user, members)
    if writer and form is None:
        initial = agreement.first_draft(mentorship, user, members)
        initial["seen"] = state.latest.number if state.latest else None
        form = ProposeForm(initial=initial)
    return {
        "mentorship": mentorship,
        "agreement": state,
        "in_pair": in_pair,
        "writer": writer,
        "form": form if writer else None,
        "readings": readings(state.latest, members, user) if in_pair else [],
        "viewer_zone": user.time_zone,
    }


def checkin_context(
    mentorship: Mentorship, user: Any, *, form: Any = None, sent: bool = False
) -> dict[str, Any]:
    in_pair = permissions.in_the_pair(user, mentorship)
    writer = permissions.takes_part(user, mentorship)
    return {
        "mentorship": mentorship,
        "in_pair": in_pair,
        "writer": writer,
        "checkins": checkins.recent(mentorship) if in_pair else [],
        "activity": checkins.activity(mentorship),
        "checkin_form": (form or CheckInForm()) if writer else None,
        "sent": sent,
        "viewer_zone": user.time_zone,
        "viewer_id": user.pk,
    }


def report_context(
    mentorship: Mentorship, user: Any, *, form: Any = None, sent: bool = False
) -> dict[str, Any]:
    writer = permissions.takes_part(user, mentorship)
    manages = permissions.may_manage_program(user, mentorship.program)
    return {
        "mentorship": mentorship,
        "writer": writer,
        "manages": manages,
        "reports": reports.reports_of(mentorship) if manages else [],
        "report_form": (form or ReportForm()) if writer else None,
        "sent": sent,
        "viewer_zone": user.time_zone,
    }
