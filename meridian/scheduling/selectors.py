"""Reading meetings with the access policy applied: members see everything but others'
private notes; the program's managers see when and how, never what was said."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from meridian.core import permissions
from meridian.core.permissions import Person
from meridian.mentorships.models import Member, Mentorship
from meridian.scheduling.models import (
    ActionItem,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    ProposedTime,
    RecordingConsent,
)

PAST_SHOWN = 20


def meetings() -> QuerySet[Meeting]:
    """The base meeting query, for pages and API alike: its mentorship, proposer and series
    joined, its proposed times in order (one query more)."""
    return Meeting.objects.select_related("mentorship", "proposed_by", "series").prefetch_related(
        Prefetch("options", queryset=ProposedTime.objects.order_by("starts_at"))
    )


def get_meeting_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Meeting:
    """The meeting if ``user`` may see it (members, the program's managers); with
    ``write``, only if they take part in its mentorship now (answer, move, write notes);
    else 404."""
    found = (
        meetings()
        .select_related("mentorship__program", "mentorship__cohort")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    allowed = (
        permissions.takes_part(user, found.mentorship) if write else permissions.may_see_meeting(user, found)
    )
    if not allowed:
        raise Http404
    return found


def get_action_item_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> ActionItem:
    """An action item for the mentorship's members (present or past); with ``write``, only
    for those who take part in it now (tick, remove); else 404."""
    item = (
        ActionItem.objects.select_related("mentorship", "owner", "meeting")
        .filter(public_id=public_id)
        .first()
    )
    if item is None:
        raise Http404
    allowed = (
        permissions.takes_part(user, item.mentorship)
        if write
        else permissions.may_read_notes(user, item.mentorship)
    )
    if not allowed:
        raise Http404
    return item


def members_of(mentorship: Mentorship) -> list[Member]:
    return list(
        mentorship.members.filter(is_current=True).select_related("user__profile").order_by("role", "id")
    )


def recording_allowed(members: Iterable[Member], consents: Iterable[RecordingConsent]) -> bool:
    """The recording rule: a meeting may be recorded only when every current member of its
    mentorship consented (the page passes what it has read; no query here)."""
    current = {m.user_id for m in members if m.is_current}
    agreed = {c.user_id for c in consents if c.consents}
    return bool(current) and current <= agreed


def may_be_recorded(meeting: Meeting) -> bool:
    """:func:`recording_allowed` for ``meeting``, read now (two queries)."""
    return recording_allowed(members_of(meeting.mentorship), meeting.consents.all())


@dataclass
class Schedule:
    proposals: list[Meeting]
    upcoming: list[Meeting]
    past: list[Meeting]
    cancelled: int


def schedule_of(mentorship: Mentorship) -> Schedule:
    """The mentorship's meetings: open proposals, what is coming, the recent past."""
    now = timezone.now()
    rows = meetings().filter(mentorship=mentorship)
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
