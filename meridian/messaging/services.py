"""Writing messages and keeping each member's place in the thread.

Sending stores the message and, for each other current member, makes sure one
notification job is pending: due a few minutes later, and never sooner than an hour after
the last email about this thread (``notifications``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.messaging import notifications
from meridian.messaging.models import MAX_BODY, Message, Thread, ThreadRead


def clean_body(text: Any) -> str:
    """The message as it is stored: stripped, neither empty, too long, nor with a NUL."""
    body = str(text or "").strip()
    if "\x00" in body:
        raise ValidationError({"body": [_("A message cannot contain a NUL character.")]})
    if not body:
        raise ValidationError({"body": [_("Write a message before sending it.")]})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {
                "body": [
                    _("A message can be %(max)s characters at most; this one has %(n)s.")
                    % {"max": f"{MAX_BODY:,}", "n": f"{len(body):,}"}
                ]
            }
        )
    return body


def message_send(*, thread: Thread, author: Any, body: str) -> Message:
    """Store ``body`` from ``author`` (a current member) in ``thread``; the author has read
    it; the others get one pending notification each (sent after commit, batched)."""
    body = clean_body(body)
    if not permissions.may_message(author, thread.mentorship):
        raise ValidationError({"body": [_("Only the members of this mentorship write here.")]})
    with transaction.atomic():
        message = Message.objects.create(thread=thread, author=author, body=body)
        current = [m.user_id for m in thread.mentorship.members.all() if m.is_current]
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user_id=uid) for uid in current], ignore_conflicts=True
        )
        _advance(thread, author, message.pk, message.created_at)
        others = [uid for uid in current if uid != author.pk]
        notifications.schedule(thread, others, now=message.created_at)
    return message


def thread_mark_read(*, thread: Thread, user: Any, upto: int | None) -> None:
    """``user`` is looking at ``thread`` now and has seen every message up to id ``upto``
    (None: nothing new). The marker only moves forward."""
    now = timezone.now()
    if not _advance(thread, user, upto, now):
        ThreadRead.objects.bulk_create(
            [ThreadRead(thread=thread, user=user, last_read_id=upto, seen_at=now)], ignore_conflicts=True
        )


def _advance(thread: Thread, user: Any, upto: int | None, now: Any) -> int:
    changes: dict[str, Any] = {"seen_at": now}
    if upto is not None:
        changes["last_read_id"] = Greatest(Coalesce(F("last_read_id"), 0), upto)
    return ThreadRead.objects.filter(Q(thread=thread) & Q(user=user)).update(**changes)
