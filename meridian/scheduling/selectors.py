"""Reading meetings with the access policy applied: members see everything but others'
private notes; the program's managers see when and how, never what was said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from meridian.core import permissions
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.selectors import parse_uuid
from meridian.scheduling.models import Meeting, MeetingEvent, MeetingStatus, ProposedTime

PAST_SHOWN = 20


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("proposed_by", "series").prefetch_related(
        Prefetch("options", queryset=ProposedTime.objects.order_by("starts_at"))
    )


def get_meeting_for_user(user: Any, public_id: Any) -> Meeting:
    found = (
        _meetings()
        .select_related("mentorship__program", "mentorship__cohort")
        .filter(permissions.visible_meetings_q(user), public_id=parse_uuid(public_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def members_of(mentorship: Mentorship) -> list[Member]:
    return list(
        mentorship.members.filter(is_current=True).select_related("user__profile").order_by("role", "id")
    )


@dataclass
class Schedule:
    proposals: list[Meeting]
    upcoming: list[Meeting]
    past: list[Meeting]
    cancelled: int


def schedule_of(mentorship: Mentorship) -> Schedule:
    """The mentorship's meetings: open proposals, what is coming, the recent past."""
    now = timezone.now()
    rows = _meetings().filter(mentorship=mentorship)
    proposals = list(rows.filter(status=MeetingStatus.PROPOSED).order_by("created_at"))
    upcoming = list(rows.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now).order_by("starts_at"))
    past = list(
        rows.filter(
            status__in=(MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.MISSED), starts_at__lt=now
        ).order_by("-starts_at")[:PAST_SHOWN]
    )
    cancelled = rows.filter(status__in=(MeetingStatus.CANCELLED, MeetingStatus.DECLINED)).count()
    return Schedule(proposals, upcoming, past, cancelled)


def history(meeting: Meeting) -> list[MeetingEvent]:
    return list(meeting.events.select_related("actor").order_by("at", "id"))
