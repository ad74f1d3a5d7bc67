"""The managers' alert: one email per manager per run of the ladder, listing every pair that
needs them (at risk, a check-in needed for a week, re-matching suggested, a closure
proposed or done), not one email per pair.

The ladder (``ladder_notices``) stores each pair's alert to each manager as a notice of its
own (its key keeps it once per pair, episode and step) set aside for this email: status
DIGEST, not yet gone out. ``gather`` (the queue's refresh, right after the ladder) makes one
notice per manager from what is set aside and marks those as gone out with it, as the daily
digest does. The alert does not count toward the monthly cap (a manager's work is not a
reminder). Two queries, then two writes per manager."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.translation import ngettext

from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.engagement import notices
from meridian.engagement.models import Notice, NoticeStatus
from meridian.messaging.notifications import language_of

KINDS = ("alert", "rematch", "closure", "closed")  # the ladder's steps a manager hears of
KIND = "manager_alerts"


def set_aside(notice: Notice | None) -> None:
    """Keep the ladder's new notice to a manager for their next alert email."""
    if notice is not None:
        Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.DIGEST)


def waiting() -> Any:
    return Notice.objects.filter(
        kind__in=KINDS, status=NoticeStatus.DIGEST, sent_at__isnull=True, counts_toward_cap=False
    )


def gather(*, now: dt.datetime) -> int:
    """One alert notice per manager with alerts set aside; how many were stored."""
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in waiting().select_related("user__profile").order_by("user_id", "pk"):
        by_user[notice.user_id].append(notice)
    stored = 0
    for items in by_user.values():
        manager = items[0].user
        if manager.is_active and _notify(manager, items, now):
            stored += 1
        Notice.objects.filter(pk__in=[n.pk for n in items], sent_at__isnull=True).update(sent_at=now)
    return stored


def _notify(manager: User, items: list[Notice], now: dt.datetime) -> bool:
    pairs = [
        {
            "pair": str(n.context.get("pair", "")),
            "program": str(n.context.get("program", "")),
            "line": n.line,
            "url": str(n.context.get("url", "")),
        }
        for n in items
    ]
    programs = sorted({(n.context.get("program", ""), n.context.get("queue_url", "")) for n in items})
    with translation.override(language_of(manager)):
        names = ngettext("%(n)d pair needs you", "%(n)d pairs need you", len(pairs)) % {"n": len(pairs)}
    context: dict[str, Any] = {
        "count": len(pairs),
        "pairs": pairs,
        "queues": [{"name": name, "url": url} for name, url in programs if url],
    }
    notice = notices.notify(
        user=manager,
        kind=KIND,
        key=f"{KIND}:{manager.pk}:{items[0].pk}",
        template="manager-alerts",
        context=context,
        line=names,
        due_at=now,
        counts_toward_cap=False,
    )
    return notice is not None


def queue_url(program: Any) -> str:
    return absolute_url("engagement:queue", program.public_id)
