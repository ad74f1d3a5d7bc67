"""Notices: every reminder, nudge, pulse and alert to one person goes through here.

``notify`` stores one notice, once per ``key`` (its kind, person and moment: a job that
runs twice finds it there already). ``deliver_due`` sends the notices that are due, each
through the outbox under the notice's key, so a run killed halfway and run again sends
nothing twice. A notice's ``context`` holds plain values; a value under a key ending in
``_at`` is an ISO datetime, read back as an aware datetime and shown in the recipient's
zone and language (the email is rendered with both switched on)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from meridian.accounts.models import User
from meridian.core.emails import send_templated
from meridian.engagement.models import Notice, NoticeStatus
from meridian.mentorships.models import Mentorship
from meridian.messaging.notifications import language_of


def notify(
    *,
    user: User,
    kind: str,
    key: str,
    template: str,
    context: dict[str, Any],
    line: str = "",
    mentorship: Mentorship | None = None,
    due_at: dt.datetime | None = None,
    counts_toward_cap: bool = True,
) -> Notice | None:
    """Store the notice ``key`` for ``user`` unless it exists; returns it when new."""
    notice, created = Notice.objects.get_or_create(
        key=key,
        defaults={
            "user": user,
            "kind": kind,
            "template": template,
            "context": context,
            "line": line[:300],
            "mentorship": mentorship,
            "due_at": due_at or timezone.now(),
            "counts_toward_cap": counts_toward_cap,
        },
    )
    return notice if created else None


def deliver_due(*, now: dt.datetime | None = None) -> Counter[str]:
    """Send every notice that is due; returns how many went which way."""
    now = now or timezone.now()
    done: Counter[str] = Counter()
    due = Notice.objects.filter(status=NoticeStatus.DUE, due_at__lte=now).order_by("due_at", "pk")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Notice.objects.filter(pk=pk, status=NoticeStatus.DUE).update(
                status=NoticeStatus.SENT, sent_at=now
            ):
                continue  # another run took it
            send(Notice.objects.select_related("user").get(pk=pk))
        done["sent"] += 1
    return done


def send(notice: Notice) -> None:
    """Queue ``notice``'s email in the outbox (inside the caller's transaction)."""
    user = notice.user
    if not (user.is_active and user.email):
        return
    context = {**_revived(notice.context), "person": user, "zone": user.time_zone}
    with translation.override(language_of(user)), timezone.override(user.time_zone):
        send_templated(notice.template, to=[user.email], context=context, key=f"notice:{notice.key}")


def _revived(context: dict[str, Any]) -> dict[str, Any]:
    out = dict(context)
    for name, value in context.items():
        if name.endswith("_at") and isinstance(value, str):
            out[name] = dt.datetime.fromisoformat(value)
    return out
