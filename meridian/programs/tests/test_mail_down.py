"""Inviting while the mail server is down: the invitations are saved, the page says the
emails wait for the mail server (no 500), and they arrive once when it is back."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from meridian.core.models import OutboundEmail
from meridian.programs.models import Invitation

pytestmark = pytest.mark.django_db
EMAILS = "ana@example.org, ben@example.org\ncai@example.org"


def _invite(client, cohort):
    return client.post(
        f"/cohorts/{cohort.public_id}/invite/",
        {"emails": EMAILS, "role": "mentee", "message": "Join!"},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)  # real commits: the send job runs at commit
def test_inviting_with_the_mail_server_down_saves_and_says_it_will_send_later(
    client, cohort, manager, smtp_down
):
    client.force_login(manager)
    page = _invite(client, cohort)
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "3 invitations saved; the mail server is not answering, so they will be sent when mail is back."
        in text
    )
    assert "invitations sent" not in text
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "ana@example.org",
        "ben@example.org",
        "cai@example.org",
    }
    waiting = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED, attempts=1)
    assert sorted(email for row in waiting for email in row.to) == [
        "ana@example.org",
        "ben@example.org",
        "cai@example.org",
    ]

    mailbox = smtp_down.up()
    latest = max(row.next_attempt_at for row in waiting)
    with time_machine.travel(latest + dt.timedelta(seconds=1)):
        call_command("send_queued_emails", verbosity=0)
        call_command("send_queued_emails", verbosity=0)  # run twice: nobody hears twice
    assert sorted(m["To"] for m in mailbox.messages()) == [
        "ana@example.org",
        "ben@example.org",
        "cai@example.org",
    ]
    token = Invitation.objects.get(email="ben@example.org").token
    ben = next(m for m in mailbox.messages() if m["To"] == "ben@example.org")
    assert f"/invitations/{token}/" in ben.get_body(("plain",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_inviting_with_the_mail_server_up_says_sent(client, cohort, manager, smtp_server):
    client.force_login(manager)
    page = _invite(client, cohort)
    assert "3 invitations sent." in page.content.decode()
    assert len(smtp_server.messages()) == 3


def test_inviting_with_a_worker_queue_says_queued(
    client, cohort, manager, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        page = _invite(client, cohort)
    assert "3 invitations saved; their emails are queued and go out in a moment." in page.content.decode()
    assert not smtp_server.messages()  # the worker sends them
