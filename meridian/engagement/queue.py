"""The manager's check-in queue: which pairs a program's managers should contact, why, and
by when.

``refresh`` (called by the sweep after the health of every pair is stored) keeps the queue
in step with that health, set-based, in a fixed number of queries:

- a pair at risk gets an open AT_RISK item; a pair that has needed a check-in for the
  program's ``alert_after_days`` (default 7) gets a HEALTH item (unless the program turned
  its ladder's alerts off). Urgency: at risk first,
  then a lower score first; the reason is the pair's worst reason.
- once the pair is back on track (or has ended) its HEALTH and AT_RISK items close by
  themselves (``resolved_by`` empty), unless a manager logged a contact on them: then the
  manager closes them. A HEALTH item gives way to the AT_RISK one the same way.
- standing contacts (``LadderSettings.standing_contacts``): good programs check in with
  every pair twice in the first month (days 7 and 28), then monthly until the sixth month,
  then quarterly. A STANDING item is due at its date; logging a contact closes it and the
  next one follows from the schedule. Dates missed while a pair had other items collapse
  into one: only the latest due date counts. A pair with a HEALTH or AT_RISK item open gets
  no STANDING item (the manager is in touch already).
- then it stores the managers' daily digest (``queue_digest``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from meridian.engagement.models import Band, ContactLog, Health, LadderSettings, QueueItem, QueueKind
from meridian.mentorships.models import Mentorship, MentorshipStatus

DEFAULT_ALERT_AFTER_DAYS = LadderSettings._meta.get_field("alert_after_days").get_default()
# Standing contacts, in days after the start (our choice, after the mentoring standards'
# "check in twice in the first month, then monthly"): then every 91 days after day 182.
STANDING_FIRST = (7, 28, 61, 91, 122, 152, 182)
STANDING_EVERY = 91
HEALTH_KINDS = (QueueKind.HEALTH, QueueKind.AT_RISK)
CURRENT = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


def open_item(*, mentorship: Mentorship, kind: str, reason: str, urgency: int, due_on: dt.date) -> QueueItem:
    """The open item of ``kind`` for the pair, opened now if there is none."""
    item, _created = QueueItem.objects.get_or_create(
        mentorship=mentorship,
        kind=kind,
        resolved_at=None,
        defaults={"reason": reason[:500], "urgency": urgency, "due_on": due_on},
    )
    return item


def urgency(band: str, score: int) -> int:
    """At risk before needing a check-in, a lower score first; regular check-ins last."""
    if band == Band.AT_RISK:
        return 200 + (100 - score)
    if band == Band.CHECK_IN:
        return 100 + (100 - score)
    return 10


def standing_dates(started_on: dt.date) -> Iterator[dt.date]:
    """The standing contacts' due dates of a pair that started on ``started_on``, forever."""
    for days in STANDING_FIRST:
        yield started_on + dt.timedelta(days=days)
    days = STANDING_FIRST[-1]
    while True:
        days += STANDING_EVERY
        yield started_on + dt.timedelta(days=days)


def standing_due(started_on: dt.date, done_on: dt.date | None, today: dt.date) -> dt.date | None:
    """The latest standing date after ``done_on`` (the last contact) that has come by
    ``today``, or None when none is due."""
    due = None
    for on in standing_dates(started_on):
        if on > today:
            return due
        if done_on is None or on > done_on:
            due = on
    return due  # pragma: no cover (the schedule never ends)


def standing_reason(started_on: dt.date, due_on: dt.date) -> str:
    days = (due_on - started_on).days
    if days <= 28:
        return f"Regular check-in: day {days} of the relationship."
    return f"Regular check-in: month {round(days / 30.4)} of the relationship."


@transaction.atomic
def refresh(*, today: dt.date) -> Counter[str]:
    """Open, update and close the queue's items from the stored health of every pair."""
    from meridian.engagement import queue_digest

    now = timezone.now()
    done: Counter[str] = Counter()
    healths = {
        h.mentorship_id: h
        for h in Health.objects.filter(mentorship__status__in=CURRENT).select_related("mentorship")
    }
    ladders = {s.program_id: s for s in LadderSettings.objects.all()}
    open_items = list(QueueItem.objects.filter(resolved_at=None).select_related("mentorship"))
    logged = set(ContactLog.objects.filter(item__resolved_at=None).values_list("item_id", flat=True))
    by_pair: dict[tuple[int, str], QueueItem] = {(i.mentorship_id, i.kind): i for i in open_items}

    closing: list[QueueItem] = []
    changed: list[QueueItem] = []
    for item in open_items:
        if item.mentorship.status not in CURRENT:
            closing.append(item)
        elif item.kind in HEALTH_KINDS and item.pk not in logged:
            health = healths.get(item.mentorship_id)
            band = health.band if health else Band.TOO_EARLY
            if band in (Band.ON_TRACK, Band.TOO_EARLY) or (
                item.kind == QueueKind.HEALTH and band == Band.AT_RISK
            ):
                closing.append(item)

    new: list[QueueItem] = []
    for health in healths.values():
        kind = _health_kind(health, ladders.get(health.mentorship.program_id), today)
        if kind is None:
            continue
        reason = (health.reasons or ["Needs a check-in."])[0][:500]
        wanted = urgency(health.band, health.score)
        found = by_pair.get((health.mentorship_id, kind))
        if found is None:
            new.append(
                QueueItem(
                    mentorship_id=health.mentorship_id, kind=kind, reason=reason, urgency=wanted, due_on=today
                )
            )
        elif (found.reason, found.urgency) != (reason, wanted):
            found.reason, found.urgency = reason, wanted
            changed.append(found)

    closed_ids = {i.pk for i in closing}
    busy = {i.mentorship_id for i in open_items if i.kind in HEALTH_KINDS and i.pk not in closed_ids}
    busy |= {i.mentorship_id for i in new}
    new += _standing_items(today, ladders, busy, {k for k in by_pair if k[1] == QueueKind.STANDING})

    QueueItem.objects.filter(pk__in=closed_ids).update(resolved_at=now, resolved_by=None)
    QueueItem.objects.bulk_update(changed, ["reason", "urgency"])
    QueueItem.objects.bulk_create(new)
    done["resolved"] = len(closed_ids)
    done["updated"] = len(changed)
    done["opened"] = len(new)
    done["digests"] = queue_digest.store(today=today)
    return done


def _health_kind(health: Health, ladder: LadderSettings | None, today: dt.date) -> str | None:
    if ladder is not None and not ladder.alerts:  # the program put no pair in the queue for its health
        return None
    if health.band == Band.AT_RISK:
        return QueueKind.AT_RISK
    alert_after = ladder.alert_after_days if ladder else DEFAULT_ALERT_AFTER_DAYS
    if health.band == Band.CHECK_IN and (today - health.band_since).days >= alert_after:
        return QueueKind.HEALTH
    return None


def _standing_items(
    today: dt.date, ladders: dict[int, LadderSettings], busy: set[int], standing_open: set[tuple[int, str]]
) -> list[QueueItem]:
    """New STANDING items for the current pairs whose next standing contact has come."""
    off = [pid for pid, s in ladders.items() if not s.standing_contacts]
    rows: Any = (
        Mentorship.objects.filter(
            status__in=CURRENT, started_on__lte=today - dt.timedelta(days=STANDING_FIRST[0])
        )
        .exclude(program_id__in=off)
        .annotate(
            last_standing=Max("queue_items__due_on", filter=Q(queue_items__kind=QueueKind.STANDING)),
            last_contact=Max("manager_contacts__at"),
        )
        .values_list("pk", "started_on", "last_standing", "last_contact")
    )
    new = []
    for pk, started_on, last_standing, last_contact in rows:
        if pk in busy or (pk, QueueKind.STANDING) in standing_open:
            continue
        done_on = max(
            filter(None, [last_standing, last_contact.date() if last_contact else None]), default=None
        )
        due_on = standing_due(started_on, done_on, today)
        if due_on is not None:
            reason = standing_reason(started_on, due_on)
            new.append(
                QueueItem(mentorship_id=pk, kind=QueueKind.STANDING, reason=reason, urgency=10, due_on=due_on)
            )
    return new
