"""Mail that survives a dead SMTP server: every email waits in the outbox, a job sends it
after commit, a mail server that does not answer is tried again with back-off, and a job
delivered twice sends once. Real SMTP throughout (aiosmtpd; "down" is a port where
nothing listens)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from email.mime.base import MIMEBase
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from meridian.core import outbox
from meridian.core.models import OutboundEmail
from meridian.core.tasks import send_email

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status
CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def _message(to: str = "ana@example.org") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives("Your meeting", "See you at ten.", to=[to])
    message.attach_alternative("<p>See you at ten.</p>", "text/html")
    message.attach_alternative(CALENDAR, "text/calendar; method=REQUEST")
    part = MIMEBase("application", "ics", name="invite.ics")
    part.set_payload(CALENDAR)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def _queue_and_commit(**options: Any) -> OutboundEmail:
    """Queue as a service does, then commit: the job (run at once in tests) sends it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        row = outbox.queue(_message(), **options)
    row.refresh_from_db()
    return row


def _retry_when_due(row: OutboundEmail) -> OutboundEmail:
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        outbox.retry_due()
    row.refresh_from_db()
    return row


def test_it_sends_after_commit_through_the_mail_server(smtp_server):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        row = outbox.queue(_message())
    assert not smtp_server.messages()  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == (Status.SENT, 1, True)
    [message] = smtp_server.messages()
    assert message["Subject"] == "Your meeting"
    assert message["To"] == "ana@example.org"


def test_a_job_delivered_twice_sends_once(smtp_server):
    with TestCase.captureOnCommitCallbacks(execute=False):
        row = outbox.queue(_message())  # its own job is not run: we deliver it twice
    assert send_email.call(row.key) == Status.SENT
    assert send_email.call(row.key) == Status.SENT
    send_email.enqueue(row.key)  # and a third time through the task backend
    assert len(smtp_server.messages()) == 1
    assert OutboundEmail.objects.get(pk=row.pk).attempts == 1


def test_a_row_another_worker_is_sending_is_left_to_it(smtp_server):
    with TestCase.captureOnCommitCallbacks(execute=False):
        row = outbox.queue(_message())
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.SENDING, last_attempt_at=timezone.now())
    assert send_email.call(row.key) == Status.SENDING
    outbox.retry_due()
    assert not smtp_server.messages()


def test_a_worker_that_died_mid_send_is_taken_over_later(smtp_server):
    with TestCase.captureOnCommitCallbacks(execute=False):
        row = outbox.queue(_message())
    died = timezone.now() - dt.timedelta(minutes=20)
    OutboundEmail.objects.filter(pk=row.pk).update(status=Status.SENDING, last_attempt_at=died)
    assert outbox.retry_due() == {"sent": 1}
    assert len(smtp_server.messages()) == 1


def test_queueing_twice_with_one_key_stores_one_email(smtp_server):
    first = _queue_and_commit(key="introduction:7")
    second = _queue_and_commit(key="introduction:7")
    assert first.pk == second.pk
    assert len(smtp_server.messages()) == 1


def test_with_the_mail_server_down_the_email_waits_and_arrives_once_when_it_is_back(smtp_down):
    row = _queue_and_commit()
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    assert "ConnectionRefusedError" in row.last_error
    assert dt.timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= dt.timedelta(minutes=1)

    outbox.retry_due()  # not due yet: nothing tried
    row.refresh_from_db()
    assert row.attempts == 1

    mailbox = smtp_down.up()
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        out = io.StringIO()
        call_command("send_queued_emails", stdout=out)
        call_command("send_queued_emails", stdout=out)
    assert out.getvalue().splitlines() == [
        "sent 1, waiting for the mail server 0, failed 0",
        "sent 0, waiting for the mail server 0, failed 0",
    ]
    send_email.call(row.key)  # the job re-enqueued by the failure arrives late
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    [message] = mailbox.messages()
    assert message["To"] == "ana@example.org"
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content() == CALENDAR
    attachment = next(p for p in message.walk() if p.get_content_type() == "application/ics")
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().decode() == CALENDAR


def test_a_sweep_stops_at_the_first_mail_server_that_does_not_answer(smtp_down):
    first, second = _queue_and_commit(), _queue_and_commit()
    with time_machine.travel(second.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox.retry_due() == {"queued": 2}  # one tried, the other left for the next run
    attempts = sorted(OutboundEmail.objects.values_list("attempts", flat=True))
    assert attempts == [1, 2]
    mailbox = smtp_down.up()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        assert outbox.retry_due() == {"sent": 2}
    assert sorted(m["Message-ID"] for m in mailbox.messages()) == sorted(
        row.headers["Message-ID"] for row in (first, second)
    )


def test_it_backs_off_over_about_a_day_then_marks_the_email_failed(smtp_down, caplog):
    row = _queue_and_commit()
    waits = []
    with caplog.at_level(logging.WARNING, logger="meridian.core.outbox"):
        while row.status == Status.QUEUED:
            assert row.attempts < 10, "it never gives up"
            assert row.last_attempt_at is not None
            waits.append(round((row.next_attempt_at - row.last_attempt_at).total_seconds() / 60))
            row = _retry_when_due(row)
    assert waits == [1, 5, 15, 60, 240, 1080]  # settings.EMAIL_RETRY_MINUTES
    assert (row.status, row.attempts, row.sent_at) == (Status.FAILED, 7, None)
    assert "ConnectionRefusedError" in row.last_error
    assert any("Gave up" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    smtp_down.up()
    assert _retry_when_due(row).status == Status.FAILED  # failed stays failed: nothing sent
    assert not smtp_down.handler.messages()


class _Refusing:
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return "550 No such mailbox"


def test_a_permanent_refusal_is_not_tried_again(settings):
    from aiosmtpd.controller import Controller

    from conftest import free_port

    port = free_port()
    controller = Controller(_Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        row = _queue_and_commit()
    finally:
        controller.stop()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "550" in row.last_error


def test_a_page_can_tell_sent_waiting_and_queued_apart(smtp_down):
    with TestCase.captureOnCommitCallbacks(execute=True), outbox.collect() as rows:
        outbox.queue(_message("a@example.org"))
        outbox.queue(_message("b@example.org"))
    assert outbox.delivery(rows) == outbox.Delivery(waiting=2)
    smtp_down.up()
    with TestCase.captureOnCommitCallbacks(execute=True), outbox.collect() as rows:
        outbox.queue(_message("c@example.org"))
    assert outbox.delivery(rows) == outbox.Delivery(sent=1)
    with TestCase.captureOnCommitCallbacks(execute=False), outbox.collect() as rows:
        outbox.queue(_message("d@example.org"))
    assert outbox.delivery(rows) == outbox.Delivery(queued=1)


@pytest.mark.django_db(transaction=True)
def test_on_the_database_backend_the_job_retries_itself_after_the_back_off(smtp_down, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO(), "verbosity": 0}
    row = outbox.queue(_message())  # no transaction: enqueued at once, for the worker
    assert DBTaskResult.objects.count() == 1
    assert OutboundEmail.objects.get().attempts == 0

    call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == row.next_attempt_at  # the job re-enqueued itself, 1 minute on

    mailbox = smtp_down.up()
    call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
    assert not mailbox.messages()  # not before its time
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
        call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    assert len(mailbox.messages()) == 1


def test_the_admin_lists_the_outbox_without_bodies(client, smtp_down):
    from tests.factories import UserFactory

    row = _queue_and_commit()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/django-admin/core/outboundemail/")
    detail = client.get(f"/django-admin/core/outboundemail/{row.pk}/change/")
    for page in (listing, detail):
        assert page.status_code == 200
        text = page.content.decode()
        assert "ana@example.org" in text
        assert "Your meeting" in text
        assert "See you at ten" not in text
        assert "VCALENDAR" not in text
    assert "ConnectionRefusedError" in detail.content.decode()
