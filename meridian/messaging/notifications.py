"""Email about unread messages, batched: at most one email per thread per recipient an
hour, none while they are reading it, and none twice for a job delivered twice.

Each member's place in a thread (``ThreadRead``) carries ``notify_after``, the due time
of the one pending job. Sending a message sets it (a few minutes on, or an hour after the
last email) when none is pending; the job claims it with a conditional UPDATE, so a
second delivery of the same job finds nothing to do, and the email's outbox key names
the newest message it tells about."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meridian.messaging import emails
from meridian.messaging.models import Message, Thread, ThreadRead

DELAY = dt.timedelta(minutes=5)  # the reader may see it on the page first
EVERY = dt.timedelta(hours=1)  # at most one email per thread and recipient in this window
ON_PAGE = dt.timedelta(minutes=1)  # the page (or its poll) touched within this: reading now
STALE = dt.timedelta(minutes=30)  # a pending job this late was lost: schedule another


def schedule(thread: Thread, user_ids: Iterable[int], *, now: dt.datetime) -> None:
    """Make sure one job is pending for each of ``user_ids`` in ``thread`` (call inside
    the sender's transaction: the jobs are enqueued after commit)."""
    free = Q(notify_after__isnull=True) | Q(notify_after__lt=now - STALE)
    rows = ThreadRead.objects.filter(free, thread=thread, user_id__in=list(user_ids))
    for read_id, notified_at in rows.values_list("pk", "notified_at"):
        due = max(now + DELAY, notified_at + EVERY) if notified_at else now + DELAY
        if ThreadRead.objects.filter(free, pk=read_id).update(notify_after=due):
            transaction.on_commit(partial(enqueue, read_id, due), robust=True)


def enqueue(read_id: int, due: dt.datetime) -> None:
    """Hand the notification to the Tasks backend, due at ``due``. A backend that cannot
    wait (the immediate one) leaves it to ``manage.py send_message_notifications``."""
    from meridian.messaging.tasks import notify_unread

    if notify_unread.get_backend().supports_defer:
        notify_unread.using(run_after=due).enqueue(read_id)


def deliver(read_id: int, *, now: dt.datetime | None = None) -> str:
    """The job's body: email the reader about their unread messages in the thread if it
    is due, still unread, they are not reading it now and had no email within the hour.
    Returns what happened (``sent``, ``read``, ``on_page``, ``later``, ``done``...)."""
    now = now or timezone.now()
    with transaction.atomic():
        read = ThreadRead.objects.filter(pk=read_id).values("notify_after").first()
        if read is None:
            return "missing"
        due = read["notify_after"]
        if due is None:
            return "done"  # sent or dropped already: a job delivered twice
        if due > now:
            return "not_due"
        if not ThreadRead.objects.filter(pk=read_id, notify_after=due).update(notify_after=None):
            return "done"  # another delivery of this job claimed it first
        return _after_claim(read_id, now)


def _after_claim(read_id: int, now: dt.datetime) -> str:
    read = ThreadRead.objects.select_related("user", "thread__mentorship").get(pk=read_id)
    user = read.user
    member = read.thread.mentorship.members.filter(user=user, is_current=True).exists()
    if not (member and user.is_active and user.email):
        return "not_member"
    unread = list(_unread(read).select_related("author").order_by("id"))
    if not unread:
        return "read"
    if read.seen_at and read.seen_at >= now - ON_PAGE:
        _reschedule(read, now + DELAY)  # they are reading it: look again in a while
        return "on_page"
    if read.notified_at and read.notified_at > now - EVERY:
        _reschedule(read, read.notified_at + EVERY)
        return "later"
    ThreadRead.objects.filter(pk=read.pk).update(notified_at=now)
    emails.new_messages(read, unread, language=language_of(read.user))
    return "sent"


def _unread(read: ThreadRead) -> Any:
    rows = Message.objects.filter(thread_id=read.thread_id).exclude(author_id=read.user_id)
    return rows.filter(id__gt=read.last_read_id) if read.last_read_id else rows


def _reschedule(read: ThreadRead, due: dt.datetime) -> None:
    if ThreadRead.objects.filter(pk=read.pk, notify_after__isnull=True).update(notify_after=due):
        transaction.on_commit(partial(enqueue, read.pk, due), robust=True)


def language_of(user: Any) -> str:
    """The first language of the person's profile the site speaks, else the default."""
    offered = {code for code, _name in settings.LANGUAGES}
    profile = getattr(user, "profile", None)
    for code in getattr(profile, "languages", None) or []:
        if str(code) in offered:
            return str(code)
    return str(settings.LANGUAGE_CODE)


def deliver_due(*, now: dt.datetime | None = None) -> Counter[str]:
    """Run every notification that is due (its job was lost, or the backend cannot wait)."""
    now = now or timezone.now()
    due = ThreadRead.objects.filter(notify_after__lte=now).order_by("notify_after", "pk")
    return Counter(deliver(pk, now=now) for pk in list(due.values_list("pk", flat=True)))
