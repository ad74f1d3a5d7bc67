"""What a mentorship's page reads, in a fixed number of queries whatever the pair's history.

The pair (``permissions.in_the_pair``) gets its workspace: the people with their zone and
clock, the next meeting on each person's clock, the open action items, and the sections the
apps below draw. The program's managers and administrators get the overview: activity, never
content (counts and dates of messages, files and check-ins; goal titles and status; the
agreement's state; the closure's category), as the privacy model says."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from meridian.core import permissions
from meridian.core.permissions import Person
from meridian.mentorships import selectors as mentorship_selectors
from meridian.mentorships.models import (
    AgreementVersion,
    Member,
    Mentorship,
)
from meridian.scheduling.models import ActionItem, Meeting, MeetingStatus

ACTIONS_SHOWN = 8


@dataclass(frozen=True)
class Door:
    mentorship: Mentorship
    in_pair: bool  # the workspace; else the program team's overview


def get_workspace_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Door:
    """The mentorship as its page shows it: the pair's workspace for the people in it
    (``in_the_pair``), the overview for its program's managers and administrators
    (``may_manage_program``); anyone else, a participant removed from a running pair
    included, gets 404."""
    mentorship = mentorship_selectors.get_mentorship_for_user(user, public_id, write=write)
    if permissions.in_the_pair(user, mentorship):
        return Door(mentorship, in_pair=True)
    if permissions.may_manage_program(user, mentorship.program):
        return Door(mentorship, in_pair=False)
    raise Http404


@dataclass(frozen=True)
class Card:
    """A member's card: who, their role, their zone (the page shows their clock) and channels."""

    member: Member
    zone: str
    channels: list[str]
    is_viewer: bool


def _cards(members: list[Member], viewer: Any) -> list[Card]:
    return [
        Card(
            member=m,
            zone=m.user.time_zone or "UTC",
            channels=[str(c) for c in (getattr(getattr(m.user, "profile", None), "channels", None) or [])],
            is_viewer=m.user_id == viewer.pk,
        )
        for m in members
    ]


def clocks(cards: list[Card]) -> list[Card]:
    """One card per zone, the viewer's first: the lines a time is read on."""
    seen: set[str] = set()
    found: list[Card] = []
    for card in sorted(cards, key=lambda c: not c.is_viewer):
        if card.zone not in seen:
            seen.add(card.zone)
            found.append(card)
    return found


def workspace(mentorship: Mentorship, viewer: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The pair's page: four queries over what the door read (next meeting, open action
    items and their count, whether the latest agreement is agreed); the sections read their
    own, each a fixed number."""
    now = now or timezone.now()
    members = [
        m for m in mentorship.members.all() if m.is_current or mentorship.status not in ("active", "paused")
    ]
    people = _cards(members, viewer)
    upcoming = Meeting.objects.filter(
        mentorship=mentorship, status=MeetingStatus.SCHEDULED, starts_at__gte=now
    )
    next_meeting = upcoming.order_by("starts_at").first()
    open_actions = ActionItem.objects.filter(mentorship=mentorship, done_at__isnull=True)
    actions = list(
        open_actions.select_related("owner", "meeting", "goal").order_by("due_on", "created_at")[
            :ACTIONS_SHOWN
        ]
    )
    is_open = mentorship.status in ("active", "paused")
    latest_agreed = list(
        AgreementVersion.objects.filter(mentorship=mentorship)
        .order_by("-number")
        .values_list("agreed_at", flat=True)[:1]
    )
    return {
        "mentorship": mentorship,
        "is_open": is_open,
        # the pair agrees how they work before anything else: until everyone has accepted
        # the latest terms the agreement leads the page
        "agreement_first": is_open and not (latest_agreed and latest_agreed[0]),
        "people": [p for p in people if not p.is_viewer],
        "me": next((p for p in people if p.is_viewer), None),
        "next_meeting": next_meeting,
        "clocks": clocks(people),
        "now": now,
        "actions": actions,
        "actions_count": open_actions.count(),  # always asked: the same queries for 1 or 1,000
        "writer": permissions.takes_part(viewer, mentorship),
        "viewer_zone": viewer.time_zone,
    }


def _count(rows: QuerySet[Any], field: str = "mentorship") -> Any:
    counted = rows.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest(rows: QuerySet[Any], field: str = "mentorship", at: str = "created_at") -> Subquery:
    return Subquery(rows.order_by().values(field).annotate(at=Max(at)).values("at"))


def _activity(mentorship: Mentorship, now: dt.datetime) -> dict[str, Any]:
    """The meetings' and action items' counts and dates in one query (the sections below
    them count messages, check-ins and files themselves)."""
    mine = OuterRef("pk")
    meetings = Meeting.objects.filter(mentorship=mine)
    held = meetings.filter(status=MeetingStatus.HELD)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now)
    actions = ActionItem.objects.filter(mentorship=mine)
    found: dict[str, Any] = (
        Mentorship.objects.filter(pk=mentorship.pk)
        .annotate(
            meetings_held=_count(held),
            meetings_last=_latest(held, at="starts_at"),
            meetings_next=Subquery(
                upcoming.order_by().values("mentorship").annotate(at=Min("starts_at")).values("at")
            ),
            actions_open=_count(actions.filter(done_at__isnull=True)),
            actions_done=_count(actions.filter(done_at__isnull=False)),
        )
        .values("meetings_held", "meetings_last", "meetings_next", "actions_open", "actions_done")
        .get()
    )
    return found


def overview(mentorship: Mentorship, viewer: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """The program team's view: activity, never content. One query here; the sections
    (agreement, messages, check-ins, goals, files, reports, closing) read their own, each
    showing the team what it may see."""
    return {
        "mentorship": mentorship,
        "members": list(mentorship.members.all()),
        "activity": _activity(mentorship, now or timezone.now()),
        "viewer_zone": viewer.time_zone,
    }
