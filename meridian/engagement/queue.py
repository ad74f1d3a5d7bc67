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
- a manager's "mark resolved" sticks: no new HEALTH or AT_RISK item opens for the pair
  until something new happens, its band changes after the resolution
  (``Health.band_since``), or it gets worse (a new top signal with a lower score than the
  resolved item kept). Re-matching and closure items come from the ladder's steps, once
  per step and episode, so a new step opens one whatever was resolved before.
- standing contacts (``LadderSettings.standing_contacts``): good programs check in with
  every pair twice in the first month (days 7 and 28), then monthly until the sixth month,
  then quarterly; each pair a few days after those dates (``spread_of``, so that a cohort
  that started together is spread over a week). A STANDING item opens ``LEAD_DAYS`` before
  its date (the queue shows it as coming up) and is due on its date; logging a contact
  closes it and the next one follows from the schedule. Never backfilled: a pair that never
  had one (the schedule first applied to a pair well under way) starts with the next date
  from today. A contact logged in the last ``RECENT_DAYS`` counts as the check-in. Dates
  missed while a pair had other items collapse into one. A pair with a HEALTH or AT_RISK
  item open gets no STANDING item (the manager is in touch already).
- then it gathers the ladder's alerts into one email per manager (``queue_alerts``) and
  stores the managers' daily digest (``queue_digest``)."""

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
LEAD_DAYS = 3  # a regular check-in shows in the queue from three days before its date
SPREAD_DAYS = 7  # a pair's check-ins fall on its own day of the week after each date
RECENT_DAYS = 14  # a contact with the pair in the last two weeks makes a check-in needless
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


def spread_of(mentorship_id: int) -> int:
    """The days a pair's regular check-ins fall after the schedule's dates (0-6, by the
    pair), so that a cohort whose pairs all started the same day is not due all at once."""
    return mentorship_id % SPREAD_DAYS


def standing_dates(started_on: dt.date, spread: int = 0) -> Iterator[dt.date]:
    """The standing contacts' due dates of a pair that started on ``started_on``, forever."""
    for days in STANDING_FIRST:
        yield started_on + dt.timedelta(days=days + spread)
    days = STANDING_FIRST[-1]
    while True:
        days += STANDING_EVERY
        yield started_on + dt.timedelta(days=days + spread)


def standing_next(
    started_on: dt.date,
    today: dt.date,
    *,
    last_due: dt.date | None = None,
    contacted_on: dt.date | None = None,
    spread: int = 0,
) -> dt.date:
    """The pair's next regular check-in: the first date after its last one (``last_due``)
    at least ``RECENT_DAYS`` after the program's last contact with the pair (``contacted_on``).
    Dates that passed while the pair had other items collapse into the latest of them. A pair
    that never had one (the schedule first applied to a pair that started long ago) is not
    owed the dates it missed: its first is the next from ``today``."""
    after = last_due
    if contacted_on is not None:
        recent = contacted_on + dt.timedelta(days=RECENT_DAYS - 1)
        after = max(after, recent) if after else recent
    if after is None:
        after = today - dt.timedelta(days=1)
    due = None
    for on in standing_dates(started_on, spread):
        if on <= after:
            continue
        if on > today:
            return due or on
        due = on
    raise AssertionError("the schedule never ends")  # pragma: no cover


def standing_reason(started_on: dt.date, due_on: dt.date) -> str:
    days = (due_on - started_on).days
    if days <= 28:
        return f"Regular check-in: day {days} of the relationship."
    return f"Regular check-in: month {round(days / 30.4)} of the relationship."


@transaction.atomic
def refresh(*, today: dt.date) -> Counter[str]:
    """Open, update and close the queue's items from the stored health of every pair."""
    from meridian.engagement import queue_alerts, queue_digest

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
    resolutions = _resolutions()

    closing: list[QueueItem] = []
    changed: list[QueueItem] = []
    for item in open_items:
        health = healths.get(item.mentorship_id)
        if item.mentorship.status not in CURRENT:
            closing.append(item)
        elif item.kind == QueueKind.HEALTH and health is not None and health.band == Band.AT_RISK:
            closing.append(item)  # the at-risk item takes over (the contacts stay with the pair)
        elif (
            item.kind in HEALTH_KINDS
            and item.pk not in logged
            and (health.band if health else Band.TOO_EARLY) in (Band.ON_TRACK, Band.TOO_EARLY)
        ):
            closing.append(item)  # back on track: closes by itself unless a manager worked on it

    new: list[QueueItem] = []
    for health in healths.values():
        kind = _health_kind(health, ladders.get(health.mentorship.program_id), today)
        if kind is None:
            continue
        reason = (health.reasons or ["Needs a check-in."])[0][:500]
        wanted = urgency(health.band, health.score)
        signal = (health.signals or [""])[0][:30]
        found = by_pair.get((health.mentorship_id, kind))
        if found is None:
            if _resolution_stands(resolutions.get(health.mentorship_id), health):
                continue
            new.append(
                QueueItem(
                    mentorship_id=health.mentorship_id,
                    kind=kind,
                    reason=reason,
                    urgency=wanted,
                    signal=signal,
                    score=health.score,
                    due_on=today,
                )
            )
        elif (found.reason, found.urgency, found.signal, found.score) != (
            now_seen := (reason, wanted, signal, health.score)
        ):
            found.reason, found.urgency, found.signal, found.score = now_seen
            changed.append(found)

    closed_ids = {i.pk for i in closing}
    busy = {i.mentorship_id for i in open_items if i.kind in HEALTH_KINDS and i.pk not in closed_ids}
    busy |= {i.mentorship_id for i in new}
    new += _standing_items(today, ladders, busy, {k for k in by_pair if k[1] == QueueKind.STANDING})

    QueueItem.objects.filter(pk__in=closed_ids).update(resolved_at=now, resolved_by=None)
    QueueItem.objects.bulk_update(changed, ["reason", "urgency", "signal", "score"])
    QueueItem.objects.bulk_create(new)
    done["resolved"] = len(closed_ids)
    done["updated"] = len(changed)
    done["opened"] = len(new)
    done["alerts"] = queue_alerts.gather(now=now)
    done["digests"] = queue_digest.store(today=today)
    return done


Resolution = tuple[str, int | None, dt.datetime]  # the item's top signal, score, resolved at


def _resolutions() -> dict[int, Resolution]:
    """Each pair's latest health item a manager marked resolved, for the pairs that still
    need a check-in or are at risk (one query)."""
    rows = (
        QueueItem.objects.filter(
            kind__in=HEALTH_KINDS,
            resolved_by__isnull=False,
            mentorship__status__in=CURRENT,
            mentorship__health__band__in=(Band.CHECK_IN, Band.AT_RISK),
        )
        .order_by("mentorship_id", "resolved_at", "id")
        .values_list("mentorship_id", "signal", "score", "resolved_at")
    )
    return {pk: (signal, score, at) for pk, signal, score, at in rows if at is not None}


def _resolution_stands(resolution: Resolution | None, health: Health) -> bool:
    """A manager's resolution holds until something new happens: the pair's band changed
    after it, or a new top signal with a lower score (it got worse)."""
    if resolution is None:
        return False
    signal, score, at = resolution
    if health.band_since > timezone.localdate(at):
        return False
    top = (health.signals or [""])[0]
    return not (top != signal and score is not None and health.score < score)


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
    """New STANDING items for the current pairs whose next standing contact is at most
    ``LEAD_DAYS`` away (it shows from then, due on its date)."""
    off = [pid for pid, s in ladders.items() if not s.standing_contacts]
    rows: Any = (
        Mentorship.objects.filter(status__in=CURRENT)
        .exclude(program_id__in=off)
        .annotate(
            last_standing=Max("queue_items__due_on", filter=Q(queue_items__kind=QueueKind.STANDING)),
            last_contact=Max("manager_contacts__at"),
        )
        .values_list("pk", "started_on", "last_standing", "last_contact")
    )
    new = []
    horizon = today + dt.timedelta(days=LEAD_DAYS)
    for pk, started_on, last_standing, last_contact in rows:
        if pk in busy or (pk, QueueKind.STANDING) in standing_open:
            continue
        contacted_on = timezone.localdate(last_contact) if last_contact else None
        due_on = standing_next(
            started_on, today, last_due=last_standing, contacted_on=contacted_on, spread=spread_of(pk)
        )
        if due_on <= horizon:
            reason = standing_reason(started_on, due_on)
            new.append(
                QueueItem(mentorship_id=pk, kind=QueueKind.STANDING, reason=reason, urgency=10, due_on=due_on)
            )
    return new
