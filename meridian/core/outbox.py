"""The outbox: every email is stored when its cause happens and sent by a job after commit.

``queue`` stores a rendered message (inside the caller's transaction) and enqueues the
send job once that transaction commits. ``deliver`` is the job's body: it claims the row
with a conditional UPDATE (so a job delivered twice sends once), sends it through
Django's mail connection and, when the mail server does not answer, records the error
and tries again later (``EMAIL_RETRY_MINUTES``), until it gives up and marks it failed.
``retry_due`` (``manage.py send_queued_emails``) sends what is due whose job was lost."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import smtplib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.mime.base import MIMEBase
from email.utils import make_msgid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from meridian.core.models import OutboundEmail

log = logging.getLogger(__name__)
Status = OutboundEmail.Status
DEFAULT_RETRY_MINUTES = (1, 5, 15, 60, 240, 1080)  # 7 tries over about a day
_collecting: ContextVar[list[OutboundEmail] | None] = ContextVar("outbox_collecting", default=None)
_held: ContextVar[list[str] | None] = ContextVar("outbox_held", default=None)


def retry_minutes() -> Sequence[int]:
    """The waits between tries: one try more than there are waits."""
    return tuple(getattr(settings, "EMAIL_RETRY_MINUTES", DEFAULT_RETRY_MINUTES))


def max_tries() -> int:
    return len(retry_minutes()) + 1


# ---------------------------------------------------------------- storing


def queue(message: EmailMessage, *, key: str | None = None) -> OutboundEmail:
    """Store ``message`` and send it by a job once the current transaction commits.

    ``key`` makes queueing idempotent: a second message with the same key is not stored
    again. Nothing here talks to the mail server, so a dead one cannot fail the caller."""
    headers = {str(k): str(v) for k, v in message.extra_headers.items()}
    if not any(name.lower() == "message-id" for name in headers):
        # One Message-ID for every try: a receiver that got it already can tell.
        headers["Message-ID"] = make_msgid(domain=str(DNS_NAME))
    fields: dict[str, Any] = {
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": headers,
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [_text(content), str(mimetype)] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_stored_attachment(item) for item in message.attachments],
    }
    if key is None:
        row = OutboundEmail.objects.create(**fields)
    else:
        row, created = OutboundEmail.objects.get_or_create(key=key, defaults=fields)
        if not created:
            return row
    collected = _collecting.get()
    if collected is not None:
        collected.append(row)
    held = _held.get()
    if held is not None:  # the caller sends them together (``send_many``)
        held.append(row.key)
        return row
    # robust: a queue that cannot take the job leaves the row for send_queued_emails.
    transaction.on_commit(partial(enqueue, row.key), robust=True)
    return row


@contextmanager
def collect() -> Iterator[list[OutboundEmail]]:
    """The emails queued inside the block, so a page can say what became of them
    (``delivery``) once its transaction has committed."""
    rows: list[OutboundEmail] = []
    token = _collecting.set(rows)
    try:
        yield rows
    finally:
        _collecting.reset(token)


@contextmanager
def held() -> Iterator[list[str]]:
    """The keys of the emails queued inside the block, with no job each: the caller sends
    them over one connection once its transaction has committed (``send_many``); any it
    cannot send wait for ``retry_due`` or the next ``send_many``."""
    keys: list[str] = []
    token = _held.set(keys)
    try:
        yield keys
    finally:
        _held.reset(token)


def _text(content: str | bytes) -> str:
    return content.decode() if isinstance(content, bytes) else str(content)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _stored_attachment(item: Any) -> dict[str, str]:
    if isinstance(item, MIMEBase):
        return {"mime": _b64(item.as_bytes())}
    filename, content, mimetype = item
    data = content.encode() if isinstance(content, str) else bytes(content)
    return {"filename": filename or "", "content": _b64(data), "mimetype": mimetype or ""}


class _StoredPart(MIMEBase):
    """A MIME part read back from its bytes, as it was (headers, encoding, payload)."""

    def __init__(self) -> None:
        Message.__init__(self)


def as_message(row: OutboundEmail) -> EmailMultiAlternatives:
    """The stored email as Django sends it."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    message.content_subtype = row.content_subtype
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    for stored in row.attachments:
        if "mime" in stored:
            message.attach(message_from_bytes(base64.b64decode(stored["mime"]), _class=_StoredPart))
        else:
            content = base64.b64decode(stored["content"])
            message.attach(stored["filename"] or None, content, stored["mimetype"] or None)
    return message


def enqueue(key: str, run_after: dt.datetime | None = None) -> None:
    """Hand the row to the send job (later, where the task backend can wait)."""
    from meridian.core.tasks import send_email

    job = send_email
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # e.g. the immediate backend: send_queued_emails retries it
        job = job.using(run_after=run_after)
    job.enqueue(key)


# ---------------------------------------------------------------- sending


def deliver(key: str, *, connection: Any = None) -> str:
    """Send the row ``key`` if it is queued and due; returns its status afterwards.
    ``connection``: an open mail connection to reuse (``send_many``)."""
    now = timezone.now()
    claimed = OutboundEmail.objects.filter(key=key, status=Status.QUEUED, next_attempt_at__lte=now).update(
        status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    row = OutboundEmail.objects.filter(key=key).first()
    if row is None:
        return "missing"
    if not claimed:
        return str(row.status)  # sent already, being sent, failed, or not due yet
    return _send_claimed(row, connection)


def _send_claimed(row: OutboundEmail, connection: Any = None) -> str:
    """Send a row this worker has claimed ("sending") and record at once that it went."""
    try:
        message = as_message(row)
        message.connection = connection
        message.send()
    except Exception as error:
        return _failed(row, error)
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.SENT, sent_at=timezone.now())
    return str(Status.SENT)


def _failed(row: OutboundEmail, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    waits = retry_minutes()
    if _permanent(error) or row.attempts > len(waits):
        OutboundEmail.objects.filter(pk=row.pk).update(status=Status.FAILED, last_error=text)
        log.error("Gave up on email %s (%s) after %d tries: %s", row.pk, row.subject, row.attempts, text)
        return str(Status.FAILED)
    later = now + dt.timedelta(minutes=waits[row.attempts - 1])
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=Status.QUEUED, next_attempt_at=later, last_error=text
    )
    if isinstance(error, (smtplib.SMTPException, OSError)):
        log.warning("Mail server not answering for email %s, retry at %s: %s", row.pk, later, text)
    else:
        log.error("Could not send email %s, retry at %s", row.pk, later, exc_info=error)
    enqueue(row.key, run_after=later)
    return str(Status.QUEUED)


def _permanent(error: Exception) -> bool:
    """The server refused for good (5xx): trying again would not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def retry_due(*, stale_after: dt.timedelta = dt.timedelta(minutes=15)) -> Counter[str]:
    """Send every queued email that is due (its job was lost, or the task backend cannot
    wait); a row left "sending" by a worker that died is queued again first. When the mail
    server does not answer, the rest wait for the next run (not EMAIL_TIMEOUT each)."""
    now = timezone.now()
    OutboundEmail.objects.filter(status=Status.SENDING, last_attempt_at__lt=now - stale_after).update(
        status=Status.QUEUED
    )
    due = OutboundEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    keys = list(due.order_by("next_attempt_at", "pk").values_list("key", flat=True))
    outcome: Counter[str] = Counter()
    for done, key in enumerate(keys, start=1):
        status = deliver(key)
        outcome[status] += 1
        if status == Status.QUEUED:  # the mail server is not answering: try later
            outcome[status] += len(keys) - done
            break
    return outcome


def _claim(keys: Sequence[str], now: dt.datetime) -> list[OutboundEmail] | None:
    """Claim the due rows among ``keys`` with one conditional UPDATE; ``None`` when another
    worker got to some of them first (the caller then claims them one by one)."""
    try:
        with transaction.atomic():
            rows = list(
                OutboundEmail.objects.select_for_update(skip_locked=True)
                .filter(key__in=keys, status=Status.QUEUED, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
            )
            claimed = OutboundEmail.objects.filter(pk__in=[r.pk for r in rows], status=Status.QUEUED).update(
                status=Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
            )
            if claimed != len(rows):
                raise _Contended
    except (_Contended, OperationalError):  # SQLite: another writer moved first
        return None
    for row in rows:
        row.status, row.attempts, row.last_attempt_at = Status.SENDING, row.attempts + 1, now
    return rows


class _Contended(Exception):
    pass


def send_many(
    keys: Iterable[str] | None = None,
    *,
    prefix: str = "",
    now: dt.datetime | None = None,
    stale_after: dt.timedelta = dt.timedelta(minutes=5),
    chunk: int = 100,
) -> Counter[str]:
    """Send the rows ``keys`` (or every due row whose key starts with ``prefix``) over one
    mail connection, claimed ``chunk`` at a time and each marked sent as soon as the server
    took it, so a worker killed halfway leaves the rest to the next run: the rows it had
    claimed stay "sending" until stale (``stale_after`` before ``now``), then are queued
    again. Stops at a mail server that does not answer, as ``retry_due`` does."""
    from django.core.mail import get_connection

    now = now or timezone.now()
    rows = OutboundEmail.objects.filter(key__startswith=prefix)
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    rows.filter(status=Status.SENDING, last_attempt_at__lt=now - stale_after).update(status=Status.QUEUED)
    due = rows.filter(status=Status.QUEUED, next_attempt_at__lte=timezone.now())
    todo = list(due.order_by("next_attempt_at", "pk").values_list("key", flat=True))
    outcome: Counter[str] = Counter()
    if not todo:
        return outcome
    connection = get_connection()
    with suppress(Exception):  # a server that is down: the first send tries again and records it
        connection.open()
    done = 0
    try:
        for start in range(0, len(todo), chunk):
            part = todo[start : start + chunk]
            claimed = _claim(part, timezone.now())
            sends = (
                [partial(deliver, key) for key in part]
                if claimed is None
                else [partial(_send_claimed, row) for row in claimed]
            )
            for n, send in enumerate(sends, start=1):
                status = send(connection=connection)
                outcome[status] += 1
                done += 1
                if status == Status.QUEUED:  # the mail server is not answering: try later
                    outcome[status] += len(todo) - done
                    if claimed is not None:
                        _release([row.pk for row in claimed[n:]])
                    return outcome
    finally:
        connection.close()
    return outcome


def _release(pks: Sequence[int]) -> None:
    """Rows this run claimed but will not try now: queued again for the next run."""
    OutboundEmail.objects.filter(pk__in=pks, status=Status.SENDING).update(
        status=Status.QUEUED, attempts=F("attempts") - 1
    )


# ---------------------------------------------------------------- telling people


@dataclass(frozen=True)
class Delivery:
    """What happened to some emails just queued: sent, waiting for the mail server (a
    try failed), or queued for the worker (not tried yet)."""

    sent: int = 0
    waiting: int = 0
    queued: int = 0
    failed: int = 0


def delivery(rows: Iterable[OutboundEmail]) -> Delivery:
    """Read the rows' status again (the job may have run at commit)."""
    counts: Counter[str] = Counter()
    fresh = OutboundEmail.objects.filter(pk__in=[row.pk for row in rows])
    for status, attempts in fresh.values_list("status", "attempts"):
        if status == Status.SENT:
            counts["sent"] += 1
        elif status == Status.FAILED:
            counts["failed"] += 1
        elif attempts:
            counts["waiting"] += 1
        else:
            counts["queued"] += 1
    return Delivery(**counts)
