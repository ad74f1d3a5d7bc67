"""A mentor's or mentee's part of the home page: each current mentorship with the partner's
card, the next meeting in both people's time, the proposals waiting for this person's
answer and their open action items, in five queries whatever their number.

It lives here, above programs, mentorships and scheduling, because it reads all three; the
home page (programs, the lower layer) reaches it through its template tag
(``{% participant_home %}``), never by importing it. What the program asks of the person on
each card (an open pulse, a request to observe, a nudge, a proposed closure) comes the same
way from engagement, the layer above: ``{% engagement_todos %}`` in the card's template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from meridian.mentorships.models import Member, Mentorship
from meridian.scheduling.models import ActionItem, Meeting, MeetingStatus


@dataclass
class Row:
    mentorship: Mentorship
    role: str
    partners: list[Member]  # the others in it, with their user
    next: Meeting | None
    waiting: list[Meeting] = field(default_factory=list)  # proposals for this person to answer
    actions: list[ActionItem] = field(default_factory=list)  # this person's, not done

    @property
    def names(self) -> str:
        return ", ".join(p.user.name for p in self.partners)


def participant_home(user: Any, now: dt.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now).order_by(
        "starts_at"
    )
    members = (
        Member.objects.filter(user=user, is_current=True)
        .select_related("mentorship__program", "mentorship__cohort")
        .prefetch_related(
            Prefetch(
                "mentorship__members",
                queryset=Member.objects.filter(is_current=True).select_related("user"),
                to_attr="current",
            ),
            Prefetch("mentorship__meetings", queryset=upcoming, to_attr="upcoming"),
        )
        .order_by("-mentorship__started_on", "pk")
    )
    rows = {
        m.mentorship_id: Row(
            mentorship=m.mentorship,
            role=m.get_role_display(),
            partners=[p for p in m.mentorship.current if p.user_id != user.pk],  # type: ignore[attr-defined]
            next=next(iter(m.mentorship.upcoming), None),  # type: ignore[attr-defined]
        )
        for m in members
    }
    if not rows:
        return []
    waiting = (
        Meeting.objects.filter(mentorship__in=rows, status=MeetingStatus.PROPOSED)
        .exclude(proposed_by=user)
        .select_related("proposed_by")
        .order_by("created_at")
    )
    for meeting in waiting:
        rows[meeting.mentorship_id].waiting.append(meeting)
    actions = ActionItem.objects.filter(mentorship__in=rows, owner=user, done_at__isnull=True).order_by(
        "due_on", "pk"
    )
    for action in actions:
        rows[action.mentorship_id].actions.append(action)
    return list(rows.values())
