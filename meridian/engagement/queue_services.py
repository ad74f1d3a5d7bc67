"""What a program manager does with an item of the check-in queue: log a contact with the
pair (a call, a message, an email or a meeting, its outcome and a note for the managers),
snooze it for 3, 7 or 14 days, or mark it resolved. The door (``selectors``) has checked the
manager's right; these check the item's state and write all or nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from meridian.accounts.models import User
from meridian.core.errors import MeridianError
from meridian.engagement.models import (
    ContactChannel,
    ContactLog,
    ContactOutcome,
    Health,
    QueueItem,
    QueueKind,
)

SNOOZE_DAYS = (3, 7, 14)
MAX_NOTE = 1000


def _open(item: QueueItem) -> QueueItem:
    """The item again, locked, refused when someone resolved it meanwhile."""
    fresh = QueueItem.objects.select_for_update().get(pk=item.pk)
    if fresh.resolved_at is not None:
        raise MeridianError("This pair was already marked resolved.")
    return fresh


def clean_note(note: str) -> str:
    if "\x00" in note:
        raise MeridianError("This note contains a character that cannot be stored.", field="note")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise MeridianError(f"Keep the note to {MAX_NOTE} characters.", field="note")
    return note


@transaction.atomic
def contact_log(*, item: QueueItem, manager: User, channel: str, outcome: str, note: str = "") -> ContactLog:
    """Record a contact with the pair; it closes a regular check-in (the next follows from
    the schedule) and stays on a health item until the manager resolves it."""
    if channel not in ContactChannel.values:
        raise MeridianError("Pick how you got in touch.", field="channel")
    if outcome not in ContactOutcome.values:
        raise MeridianError("Pick what came of it.", field="outcome")
    note = clean_note(note)
    item = _open(item)
    now = timezone.now()
    log = ContactLog.objects.create(
        mentorship_id=item.mentorship_id,
        item=item,
        manager=manager,
        channel=channel,
        outcome=outcome,
        note=note,
        at=now,
    )
    if item.kind == QueueKind.STANDING:
        item.resolved_at, item.resolved_by = now, manager
        item.save(update_fields=["resolved_at", "resolved_by"])
    return log


@transaction.atomic
def item_snooze(*, item: QueueItem, manager: User, days: int, today: dt.date) -> QueueItem:
    """Hide the item from the queue for ``days`` (3, 7 or 14) from ``today``."""
    if days not in SNOOZE_DAYS:
        raise MeridianError("Snooze for 3, 7 or 14 days.", field="days")
    item = _open(item)
    item.snoozed_until = today + dt.timedelta(days=days)
    item.save(update_fields=["snoozed_until"])
    return item


@transaction.atomic
def item_resolve(*, item: QueueItem, manager: User) -> QueueItem:
    """Take the pair off the queue: the manager has done what was needed. The pair's top
    signal and score are kept with it: the queue's refresh opens no new item for the pair
    until its band changes or it gets worse than this (``queue._resolution_stands``)."""
    item = _open(item)
    health = Health.objects.filter(mentorship_id=item.mentorship_id).first()
    if health is not None:
        item.signal, item.score = (health.signals or [""])[0][:30], health.score
    item.resolved_at, item.resolved_by = timezone.now(), manager
    item.save(update_fields=["resolved_at", "resolved_by", "signal", "score"])
    return item
