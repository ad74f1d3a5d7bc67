"""The daily digest (``run(now)``, hourly from the periodic table): for each person who
takes reminders as a digest, once their local time has passed 08:00, one email listing
every notice kept for it (its ``line`` and a link), then marked as gone out with it.

One digest per person per local day (key ``digest:<user>:<local date>``): a second run
that day finds it there, and what arrives later waits for the next morning's. A digest
counts as one email toward the monthly cap; a person at the cap gets none, and its
notices are held back (CAPPED, listed on their reminders page). A digest that delivery
reaches the next day is dropped and its notices wait for the next one (``notices.stale``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import formats, timezone, translation

from meridian.accounts.models import User
from meridian.engagement import notices
from meridian.engagement.models import Notice, NoticeStatus
from meridian.messaging.notifications import language_of

SEND_AT = dt.time(8, 0)  # the person's morning
LINK_KEYS = ("url", "page_url", "meeting_url")  # where a notice's context names its page


def run(now: dt.datetime | None = None) -> str:
    """Make the digests whose morning has come, then deliver; says what it did."""
    now = now or timezone.now()
    waiting = (
        Notice.objects.filter(status=NoticeStatus.DIGEST, sent_at__isnull=True, due_at__lte=now)
        .select_related("user__profile", "mentorship")
        .order_by("user_id", "due_at", "pk")
    )
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in waiting:
        by_user[notice.user_id].append(notice)
    ready = {pk: items for pk, items in by_user.items() if _morning_has_come(items[0].user, now)}
    done: Counter[str] = Counter()
    if ready:
        programs = {
            n.mentorship.program_id if n.mentorship else None for items in ready.values() for n in items
        }
        caps = notices.caps_for(programs)
        counts = notices.sent_counts(ready, now)
        for pk, items in ready.items():
            cap = min(caps[n.mentorship.program_id if n.mentorship else None] for n in items)
            done[_digest(items[0].user, items, now, over_cap=counts.get(pk, 0) >= cap)] += 1
    delivered = notices.deliver_due(now=now)
    return f"digests {dict(done)}; delivered {dict(delivered)}"


def _local(user: User, now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now, ZoneInfo(user.time_zone or "UTC"))


def _morning_has_come(user: User, now: dt.datetime) -> bool:
    return _local(user, now).time() >= SEND_AT


def _digest(user: User, items: list[Notice], now: dt.datetime, *, over_cap: bool) -> str:
    """Make ``user``'s digest of ``items`` for their day; returns what became of them."""
    pks = [n.pk for n in items]
    still = Notice.objects.filter(pk__in=pks, status=NoticeStatus.DIGEST, sent_at__isnull=True)
    day = _local(user, now).date()
    with transaction.atomic():
        if over_cap:
            still.update(status=NoticeStatus.CAPPED)
            return "capped"
        with translation.override(language_of(user)):
            context: dict[str, Any] = {
                "date": formats.date_format(day, "l j F"),
                "items": [{"line": n.line, "url": _link(n)} for n in items],
                "kept": pks,  # put back to wait for the next digest should this one be dropped
            }
        digest = notices.notify(
            user=user,
            kind=notices.DIGEST_KIND,
            key=f"digest:{user.pk}:{day.isoformat()}",
            template="digest",
            context=context,
            line=f"{len(items)}",
            due_at=now,
        )
        if digest is None:
            return "waiting"  # today's went out already: these go in tomorrow's
        still.update(sent_at=now)
    return "made"


def _link(notice: Notice) -> str:
    for key in LINK_KEYS:
        value = notice.context.get(key)
        if isinstance(value, str) and value:
            return value
    return ""
