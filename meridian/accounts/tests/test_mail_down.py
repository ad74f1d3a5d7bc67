"""'Forgot your password?' while the mail server is down: the usual page (which never says
whether an account exists), no 500; the reset email arrives once the server is back."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command

from meridian.core.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the send job runs at commit


def test_a_password_reset_with_the_mail_server_down_answers_the_usual_page(client, smtp_down):
    rosa = UserFactory(email="rosa@example.org")
    EmailAddress.objects.create(user=rosa, email=rosa.email, verified=True, primary=True)

    known = client.post("/accounts/password/reset/", {"email": "rosa@example.org"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)

    for page in (known, unknown):
        assert page.status_code == 200
        assert page.redirect_chain == [("/accounts/password/reset/done/", 302)]
    assert known.content.decode().count("sent you an email") == 1
    row = OutboundEmail.objects.get(to=["rosa@example.org"])
    assert (row.status, row.attempts) == (OutboundEmail.Status.QUEUED, 1)
    assert "ConnectionRefusedError" in row.last_error

    mailbox = smtp_down.up()
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        call_command("send_queued_emails", verbosity=0)
    mails = [m for m in mailbox.messages() if m["To"] == "rosa@example.org"]
    assert len(mails) == 1
    assert "/accounts/password/reset/key/" in mails[0].get_body(("plain",)).get_content()
