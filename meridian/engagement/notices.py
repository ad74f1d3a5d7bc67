"""Notices: every reminder, nudge, pulse and alert to one person goes through here.

``notify`` stores one notice, once per ``key`` (its kind, person and moment: a job that
runs twice finds it there already); ``notify_many`` stores many in one statement.
``deliver_due`` takes the notices that are due in batches: each batch is claimed with a
conditional UPDATE, routed (emailed, kept for the person's daily digest, or held back by
the monthly cap) and its emails queued in the outbox under the notice's key, all in one
transaction; once it commits, the batch's emails go out over one mail connection
(``outbox.send_many``). A worker killed (kill -9) inside a batch leaves it untouched; one
killed while sending leaves the rest queued, and the next run sends them.

Once, as far as SMTP allows: a notice and its outbox row are written in one transaction
(exactly once), and each email is marked sent the moment the server has taken it. The one
gap is a kill between the server's "250 OK" and that mark: the email is sent again by the
next run, with the same Message-ID, so a receiver can tell (SMTP has no two-phase commit;
marking before sending would lose that email instead). Nothing is ever lost.

The monthly cap: at most ``LadderSettings.monthly_email_cap`` emails that count toward
it (all but meeting reminders) per person in any rolling 30 days, the cap of the
notice's program (the default without one). Rolling, not calendar months: a calendar
month would let 4 emails at the end of one month and 4 at the start of the next arrive
in the same week. A notice over the cap is not emailed: it is kept, CAPPED, and listed on
the person's reminders page. A digest counts as one email.

A daily digest (the person's, the managers') that delivery reaches more than
``STALE_AFTER`` past its moment is dropped, not sent: a late run would otherwise send
yesterday's digest beside today's. What a dropped person's digest listed waits for the
next one (its notices are kept for a digest again), so nothing in it is lost.

A notice's ``context`` holds plain values; a value under a key ending in ``_at`` is an
ISO datetime, read back as an aware datetime and shown in the recipient's zone and
language (the email is rendered with both switched on)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from meridian.accounts.models import User
from meridian.core import outbox
from meridian.core.emails import send_templated
from meridian.core.links import absolute_url
from meridian.engagement.models import EmailPreference, LadderSettings, Notice, NoticeMode, NoticeStatus
from meridian.mentorships.models import Mentorship
from meridian.messaging.notifications import language_of

BATCH = 100  # notices claimed, routed and queued in one transaction
CAP_DAYS = 30  # the cap's rolling window
DIGEST_KIND = "digest"  # the daily digest: its cap was checked when it was made (digests.py)
OUTBOX_PREFIX = "notice:"
DAILY_KINDS = (DIGEST_KIND, "manager_digest")  # a day's digest: stale by the next morning
STALE_AFTER = dt.timedelta(hours=20)


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


def notify_many(notices: Iterable[Notice]) -> int:
    """Store unsaved notices in one statement; those whose key exists are left out.
    Returns how many were offered."""
    rows = list(notices)
    for row in rows:
        row.line = row.line[:300]
    Notice.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def default_cap() -> int:
    return int(LadderSettings._meta.get_field("monthly_email_cap").get_default())


def caps_for(program_ids: Iterable[int | None]) -> dict[int | None, int]:
    """Each program's monthly cap (``None``, and a program without settings: the default)."""
    ids = {pk for pk in program_ids if pk is not None}
    caps: dict[int | None, int] = dict.fromkeys(ids, default_cap())
    caps[None] = default_cap()
    for program_id, cap in LadderSettings.objects.filter(program_id__in=ids).values_list(
        "program_id", "monthly_email_cap"
    ):
        caps[program_id] = cap
    return caps


def sent_counts(user_ids: Iterable[int], now: dt.datetime) -> dict[int, int]:
    """How many emails that count toward the cap each person got in the window before ``now``."""
    rows = (
        Notice.objects.filter(
            user_id__in=set(user_ids),
            counts_toward_cap=True,
            status=NoticeStatus.SENT,
            sent_at__gt=now - dt.timedelta(days=CAP_DAYS),
        )
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    return dict(rows)


def deliver_due(*, now: dt.datetime | None = None, batch: int = BATCH) -> Counter[str]:
    """Route and send every notice that is due; returns how many went which way
    (sent, digest, capped, dropped) and what the outbox did (``emails_<status>``)."""
    now = now or timezone.now()
    done: Counter[str] = Counter()
    # What a killed run queued but did not send (or left "sending"), first.
    _count_emails(done, outbox.send_many(prefix=OUTBOX_PREFIX, now=now))
    while True:
        with outbox.held() as keys:
            with transaction.atomic():
                routed = _route_batch(now, batch)
            if routed is None:
                continue  # another worker took part of it: claim again
            if not routed:
                return done
            done.update(routed)
        _count_emails(done, outbox.send_many(keys, now=now))


def _count_emails(done: Counter[str], outcome: Counter[str]) -> None:
    for status, count in outcome.items():
        done[f"emails_{status}"] += count


def _route_batch(now: dt.datetime, batch: int) -> Counter[str] | None:
    """Claim up to ``batch`` due notices and route them; ``None`` when another worker
    claimed some of them first (the transaction is rolled back and claimed again)."""
    due = Notice.objects.filter(status=NoticeStatus.DUE, due_at__lte=now).order_by("due_at", "pk")
    pks = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch])
    if not pks:
        return Counter()
    notices = list(
        Notice.objects.filter(pk__in=pks)
        .select_related("user", "user__profile", "user__email_preference", "mentorship")
        .order_by("due_at", "pk")
    )
    statuses = _statuses(notices, now)
    groups: dict[str, list[int]] = defaultdict(list)
    for notice in notices:
        groups[statuses[notice.pk]].append(notice.pk)
    for status, group in groups.items():
        sent_at = now if status == NoticeStatus.SENT else None
        claimed = Notice.objects.filter(pk__in=group, status=NoticeStatus.DUE).update(
            status=status, sent_at=sent_at
        )
        if claimed != len(group):
            transaction.set_rollback(True)
            return None
    for notice in notices:
        if statuses[notice.pk] == NoticeStatus.SENT:
            send(notice)
        elif notice.kind == DIGEST_KIND and statuses[notice.pk] == NoticeStatus.DROPPED:
            _keep_for_next_digest(notice)
    return Counter(str(statuses[notice.pk]) for notice in notices)


def _statuses(notices: list[Notice], now: dt.datetime) -> dict[int, str]:
    """Where each notice goes: emailed, the digest, held back by the cap, or dropped."""
    caps = caps_for(n.mentorship.program_id if n.mentorship else None for n in notices)
    counts = sent_counts((n.user_id for n in notices if n.counts_toward_cap), now)
    out: dict[int, str] = {}
    for notice in notices:
        user = notice.user
        if not (user.is_active and user.email) or stale(notice, now):
            out[notice.pk] = NoticeStatus.DROPPED
        elif not notice.counts_toward_cap or notice.kind == DIGEST_KIND:
            out[notice.pk] = NoticeStatus.SENT
        elif mode_of(user) == NoticeMode.DIGEST:
            out[notice.pk] = NoticeStatus.DIGEST
        elif counts.get(user.pk, 0) < caps[notice.mentorship.program_id if notice.mentorship else None]:
            counts[user.pk] = counts.get(user.pk, 0) + 1
            out[notice.pk] = NoticeStatus.SENT
        else:
            out[notice.pk] = NoticeStatus.CAPPED
    return out


def stale(notice: Notice, now: dt.datetime) -> bool:
    """A day's digest that delivery reached more than ``STALE_AFTER`` past its moment."""
    return notice.kind in DAILY_KINDS and now - notice.due_at > STALE_AFTER


def _keep_for_next_digest(digest: Notice) -> None:
    """The notices a dropped digest listed go back to wait for the person's next one."""
    kept = [pk for pk in digest.context.get("kept", []) if isinstance(pk, int)]
    Notice.objects.filter(pk__in=kept, user_id=digest.user_id, status=NoticeStatus.DIGEST).update(
        sent_at=None
    )


def mode_of(user: User) -> str:
    """Single emails or a daily digest (a person who never chose: single emails)."""
    try:
        preference: EmailPreference = user.email_preference
    except EmailPreference.DoesNotExist:
        return NoticeMode.SINGLE
    return preference.mode


def send(notice: Notice) -> None:
    """Queue ``notice``'s email in the outbox (inside the caller's transaction)."""
    user = notice.user
    if not (user.is_active and user.email):
        return
    context = {
        **_revived(notice.context),
        "person": user,
        "zone": user.time_zone,
        "preferences_url": absolute_url("engagement:email_preference"),
    }
    with translation.override(language_of(user)), timezone.override(user.time_zone):
        send_templated(notice.template, to=[user.email], context=context, key=f"{OUTBOX_PREFIX}{notice.key}")


def _revived(context: dict[str, Any]) -> dict[str, Any]:
    out = dict(context)
    for name, value in context.items():
        if name.endswith("_at") and isinstance(value, str):
            out[name] = dt.datetime.fromisoformat(value)
    return out
