"""The demo pair's conversation (``manage.py demo_messages``, run by ``seed_demo``)."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

from meridian.messaging import selectors
from meridian.messaging.management.commands import demo_messages
from meridian.messaging.models import Message
from meridian.programs.demo import DemoLogins

pytestmark = pytest.mark.django_db


def test_the_demo_pair_has_a_conversation_with_one_unread_for_the_mentor(talk, monkeypatch):
    Message.objects.all().delete()
    logins = DemoLogins("admin@x.example", "pm@x.example", talk.mentor.email, talk.mentee.email)
    monkeypatch.setattr(demo_messages, "demo_logins", lambda: logins)
    for _ in range(2):  # the second run adds nothing
        call_command("demo_messages", stdout=io.StringIO())
    rows = list(Message.objects.filter(thread__mentorship=talk.mentorship).order_by("created_at"))
    assert len(rows) == len(demo_messages.CONVERSATION)
    assert rows[-1].author == talk.mentee
    assert selectors.unread_total(talk.mentor) == 1
    assert selectors.unread_total(talk.mentee) == 0
    assert mail.outbox == []
