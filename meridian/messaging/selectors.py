"""Reading a relationship's messages, with the access policy applied: the thread's one
door is ``get_thread_for_user``; every read here costs a fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import Http404

from meridian.core import permissions
from meridian.core.permissions import Person
from meridian.mentorships.models import Mentorship
from meridian.mentorships.selectors import get_mentorship_for_user
from meridian.messaging.models import Message, Thread, ThreadRead

PAGE_SIZE = 30


def get_thread_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Thread:
    """The thread of mentorship ``public_id`` (made the first time) if ``user`` may read it
    (its current members; once it has ended, its former ones); 404 for everybody else,
    managers and administrators included. ``write``: its current members alone."""
    mentorship = get_mentorship_for_user(user, public_id)
    allowed = permissions.may_message if write else permissions.may_read_messages
    if not allowed(user, mentorship):
        raise Http404
    thread, _created = Thread.objects.get_or_create(mentorship=mentorship)
    thread.mentorship = mentorship  # with its members, already read
    return thread


def _with_author(rows: Any) -> Any:
    return rows.select_related("author")


@dataclass(frozen=True)
class Window:
    """Messages oldest first, and whether there are older ones to load."""

    messages: list[Message]
    has_older: bool


def latest(thread: Thread, *, before: Any = None, size: int = PAGE_SIZE) -> Window:
    """The ``size`` newest messages (older than message ``before``, a public id, when
    given), oldest first: one query."""
    rows = _with_author(Message.objects.filter(thread=thread))
    if before is not None:
        rows = rows.filter(
            id__lt=Subquery(Message.objects.filter(thread=thread, public_id=before).values("id"))
        )
    found = list(rows.order_by("-id")[: size + 1])
    return Window(messages=found[:size][::-1], has_older=len(found) > size)


def newer(thread: Thread, after: Any, *, limit: int = 200) -> list[Message]:
    """Messages after message ``after`` (a public id; all when None), oldest first: one query."""
    rows = _with_author(Message.objects.filter(thread=thread))
    if after is not None:
        rows = rows.filter(
            id__gt=Subquery(Message.objects.filter(thread=thread, public_id=after).values("id"))
        )
    return list(rows.order_by("id")[:limit])


def api_messages(thread: Thread) -> Any:
    """Every message of the thread, newest first (the API pages through it)."""
    return _with_author(Message.objects.filter(thread=thread)).order_by("-id")


def unread_total(user: Any) -> int:
    """Messages from others the person has not read, across every thread they are a
    current member of: one query."""
    if not user.is_authenticated:
        return 0
    mine = Mentorship.objects.filter(members__user=user, members__is_current=True).values("pk")
    last_read = ThreadRead.objects.filter(thread=OuterRef("thread"), user=user).values("last_read_id")
    return int(
        Message.objects.filter(thread__mentorship__in=mine)
        .exclude(author=user)
        .annotate(read_up_to=Subquery(last_read))
        .filter(Q(read_up_to__isnull=True) | Q(id__gt=F("read_up_to")))
        .count()
    )


@dataclass(frozen=True)
class Summary:
    """What the mentorship page shows of the conversation."""

    count: int
    last_at: Any
    unread: int
    recent: list[Message]


def summary(mentorship: Mentorship, user: Any, *, recent: int = 3) -> Summary:
    """Counts and the last date for whoever sees the mentorship; the ``recent`` newest
    messages and the unread count for those who may read it (two queries)."""
    member = permissions.may_read_messages(user, mentorship)
    uid = user.pk or 0
    last_read = ThreadRead.objects.filter(thread=OuterRef("thread"), user_id=uid).values("last_read_id")
    unread = ~Q(author_id=uid) & (Q(read_up_to__isnull=True) | Q(id__gt=F("read_up_to")))
    totals = (
        Message.objects.filter(thread__mentorship=mentorship)
        .annotate(read_up_to=Subquery(last_read))
        .aggregate(count=Count("id"), last_at=Max("created_at"), unread=Count("id", filter=unread))
    )
    rows: list[Message] = []
    if member:
        rows = list(
            _with_author(Message.objects.filter(thread__mentorship=mentorship)).order_by("-id")[:recent]
        )
    return Summary(
        count=totals["count"] or 0,
        last_at=totals["last_at"],
        unread=(totals["unread"] or 0) if member else 0,
        recent=rows[::-1],
    )
