"""The managers' daily digest: one email a day per program manager whose queue has work,
at 08:00 in the manager's zone: how many pairs by kind, the five most urgent with their
reason, and a link to each program's queue. Nothing when the queue is empty.

Stored as notices (``notices.notify``, key ``manager_digest:<user>:<date>``), so a refresh
that runs twice stores one; it does not count toward the monthly cap (a manager's work
list is not a reminder). Three queries whatever the number of pairs."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.utils import formats, translation

from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.engagement import notices
from meridian.engagement.models import QueueItem, QueueKind
from meridian.mentorships.models import Member
from meridian.messaging.notifications import language_of
from meridian.programs.models import Program

MOST_URGENT = 5
SENT_AT = dt.time(8, 0)


def waiting(today: dt.date) -> Q:
    """The items due on ``today``: open, due, not snoozed (the digest, the manager's home
    and the API count these)."""
    return Q(resolved_at=None, due_on__lte=today) & (Q(snoozed_until=None) | Q(snoozed_until__lte=today))


def shown(today: dt.date) -> Q:
    """The items the queue's page shows on ``today``: those due, and the regular check-ins
    coming up in the next ``queue.LEAD_DAYS`` (open, not snoozed)."""
    from meridian.engagement.queue import LEAD_DAYS

    soon = Q(kind=QueueKind.STANDING, due_on__lte=today + dt.timedelta(days=LEAD_DAYS))
    return (
        Q(resolved_at=None)
        & (Q(due_on__lte=today) | soon)
        & (Q(snoozed_until=None) | Q(snoozed_until__lte=today))
    )


def store(*, today: dt.date) -> int:
    """Store today's digest for every manager with work in the queue; how many are new."""
    members = Member.objects.select_related("user").order_by("-role", "user__name")
    items = list(
        QueueItem.objects.filter(waiting(today), mentorship__status__in=("active", "paused"))
        .select_related("mentorship__program")
        .prefetch_related(Prefetch("mentorship__members", queryset=members))
        .order_by("-urgency", "due_on", "id")
    )
    if not items:
        return 0
    program_ids = {i.mentorship.program_id for i in items}
    managing = Program.managers.through.objects.filter(program_id__in=program_ids).select_related("user")
    per_manager: dict[User, list[QueueItem]] = defaultdict(list)
    for row in managing:
        per_manager[row.user].extend(i for i in items if i.mentorship.program_id == row.program_id)
    stored = 0
    for manager, theirs in per_manager.items():
        if manager.is_active and _notify(manager, sorted(theirs, key=_order), today):
            stored += 1
    return stored


def _order(item: QueueItem) -> tuple[int, dt.date, int]:
    return (-item.urgency, item.due_on, item.pk)


def _notify(manager: User, items: list[QueueItem], today: dt.date) -> bool:
    zone = ZoneInfo(manager.time_zone or "UTC")
    with translation.override(language_of(manager)):
        counts = Counter(i.get_kind_display() for i in items)
        programs = {i.mentorship.program.pk: i.mentorship.program for i in items}
        context: dict[str, Any] = {
            "date": formats.date_format(today, "l j F Y"),
            "total": len(items),
            "counts": sorted(counts.items(), key=lambda kv: -kv[1]),
            "items": [_line(i) for i in items[:MOST_URGENT]],
            "queues": [
                {"name": p.name, "url": absolute_url("engagement:queue", p.public_id)}
                for p in programs.values()
            ],
        }
    notice = notices.notify(
        user=manager,
        kind="manager_digest",
        key=f"manager_digest:{manager.pk}:{today.isoformat()}",
        template="manager-digest",
        context=context,
        due_at=dt.datetime.combine(today, SENT_AT, tzinfo=zone),
        counts_toward_cap=False,
    )
    return notice is not None


def _line(item: QueueItem) -> dict[str, str]:
    names = ", ".join(m.user.name for m in item.mentorship.members.all() if m.is_current)
    return {"pair": names, "kind": str(item.get_kind_display()), "reason": item.reason}
