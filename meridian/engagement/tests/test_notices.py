"""Notices: the monthly cap (meeting reminders never count), the digest's share, one email
per key however often delivery runs, and the person's reminder-emails page."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import SmtpCollector, free_port
from meridian.accounts.models import User
from meridian.core.models import OutboundEmail
from meridian.engagement import notices
from meridian.engagement.models import EmailPreference, LadderSettings, Notice, NoticeMode, NoticeStatus
from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def tell(person: Any, n: int, *, pair: Any = None, kind: str = "cohort_point", cap: bool = True) -> None:
    notices.notify(
        user=person,
        kind=kind,
        key=f"test:{kind}:{person.pk}:{n}:{timezone.now().isoformat()}",
        template="reminder-cohort",
        context={"line": f"Reminder number {n}", "url": "https://example.org/"},
        line=f"Reminder number {n}",
        mentorship=pair,
        counts_toward_cap=cap,
    )


def statuses(person: Any) -> list[str]:
    return list(Notice.objects.filter(user=person).order_by("pk").values_list("status", flat=True))


def test_at_most_four_emails_in_any_30_days_and_meeting_reminders_never_count(pair, clock, smtp_server):
    _mentor, mentee = people(pair)
    for n in range(6):
        tell(mentee, n, pair=pair)
    tell(mentee, 6, pair=pair, kind="meeting_reminder", cap=False)
    done = notices.deliver_due()
    assert statuses(mentee) == ["sent"] * 4 + ["capped"] * 2 + ["sent"]
    assert done["sent"] == 5
    assert done["capped"] == 2
    assert done["emails_sent"] == 5
    assert len([m for m in smtp_server.messages() if m["To"] == mentee.email]) == 5

    clock.shift(dt.timedelta(days=29))
    tell(mentee, 7, pair=pair)
    notices.deliver_due()
    assert statuses(mentee)[-1] == "capped"  # still inside the 30 days
    clock.shift(dt.timedelta(days=1, seconds=1))
    tell(mentee, 8, pair=pair)
    notices.deliver_due()
    assert statuses(mentee)[-1] == "sent"  # the first four have left the window


def test_a_program_sets_its_own_cap_and_delivery_twice_sends_each_once(pair, clock, smtp_server):
    LadderSettings.objects.create(program=pair.program, monthly_email_cap=2)
    mentor, _mentee = people(pair)
    for n in range(3):
        tell(mentor, n, pair=pair)
    notices.deliver_due()
    assert notices.deliver_due() == {}
    assert statuses(mentor) == ["sent", "sent", "capped"]
    assert len(smtp_server.messages()) == 2
    assert len({m["Message-ID"] for m in smtp_server.messages()}) == 2


def test_a_person_who_takes_a_digest_gets_nothing_single_and_an_inactive_one_nothing(
    pair, clock, smtp_server
):
    mentor, mentee = people(pair)
    EmailPreference.objects.create(user=mentee, mode=NoticeMode.DIGEST)
    tell(mentee, 1, pair=pair)
    tell(mentee, 2, pair=pair, kind="meeting_reminder", cap=False)  # meeting reminders come on their own
    mentor.is_active = False
    mentor.save(update_fields=["is_active"])
    tell(mentor, 1, pair=pair)
    assert notices.deliver_due() == {"digest": 1, "sent": 1, "dropped": 1, "emails_sent": 1}
    assert statuses(mentee) == ["digest", "sent"]
    assert statuses(mentor) == ["dropped"]


def test_a_managers_digest_reached_the_next_day_is_dropped_and_only_todays_goes_out(clock, smtp_server):
    manager = UserFactory(email="manager@example.org")  # the tests' clock: Monday 2 March, 08:00 UTC
    for day, due in (
        ("2026-03-01", dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)),
        ("2026-03-02", timezone.now()),
    ):
        notices.notify(
            user=manager,
            kind="manager_digest",
            key=f"test:manager_digest:{manager.pk}:{day}",
            template="reminder-cohort",
            context={"line": f"Your pairs on {day}", "url": "https://example.org/"},
            due_at=due,
            counts_toward_cap=False,
        )
    clock.shift(dt.timedelta(hours=4))  # delivery ran late: Sunday's is 28 h past its moment, Monday's 4 h

    assert notices.deliver_due() == {"dropped": 1, "sent": 1, "emails_sent": 1}
    assert statuses(manager) == ["dropped", "sent"]
    (email,) = smtp_server.messages()
    assert "Your pairs on 2026-03-02" in email.get_body(("plain",)).get_content()


def test_a_digest_up_to_20_hours_late_still_goes_out(pair, clock, smtp_server):
    mentor, _mentee = people(pair)
    notices.notify(
        user=mentor,
        kind=notices.DIGEST_KIND,
        key=f"test:digest:{mentor.pk}",
        template="reminder-cohort",
        context={"line": "Your digest", "url": "https://example.org/"},
        due_at=timezone.now() - notices.STALE_AFTER,
    )
    assert notices.deliver_due() == {"sent": 1, "emails_sent": 1}


def test_the_reminder_emails_page_saves_the_choice_and_lists_what_the_cap_held_back(
    pair, clock, client: Client
):
    _mentor, mentee = people(pair)
    for n in range(5):
        tell(mentee, n, pair=pair)
    notices.deliver_due()
    client.force_login(mentee)
    page = client.get("/profile/reminders/")
    assert page.status_code == 200
    assert "Reminder number 4" in page.text
    assert "Not sent: the month&#x27;s limit was reached" in page.text
    assert "Reminder number 3" not in page.text  # it was emailed
    # the hours are each program's setting: the help text promises none of its own
    assert "Meeting reminders (by default a day and an hour before; your program sets when)" in page.text
    assert "24 hours" not in page.text

    bad = client.post("/profile/reminders/", {"mode": "weekly"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.text
    assert not EmailPreference.objects.filter(user=mentee).exists()
    assert client.post("/profile/reminders/", {"mode": "digest"}).status_code == 302
    assert EmailPreference.objects.get(user=mentee).mode == NoticeMode.DIGEST
    assert re.search(r'value="digest"[^>]*checked', client.get("/profile/reminders/").text)
    assert NoticeStatus.CAPPED in statuses(mentee)


def test_with_the_mail_server_down_the_batch_waits_and_arrives_once_when_it_is_back(pair, clock, smtp_down):
    mentor, mentee = people(pair)
    for n in range(3):
        tell(mentor if n % 2 else mentee, n, pair=pair)
    done = notices.deliver_due()
    assert done["sent"] == 3
    assert done["emails_queued"] == 3  # one tried, the other two left for the next run
    rows = OutboundEmail.objects.order_by("pk")
    assert [(r.status, r.attempts) for r in rows] == [("queued", 1), ("queued", 0), ("queued", 0)]
    smtp_down.up()
    clock.shift(dt.timedelta(minutes=2))  # past the first retry's wait
    assert notices.deliver_due()["emails_sent"] == 3
    assert notices.deliver_due() == {}
    assert len(smtp_down.handler.messages()) == 3


# ---------------------------------------------------------------- a worker killed halfway (kill -9)

CHILD = """
import datetime as dt, json, sys
import django

django.setup()
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", int(sys.argv[1]), False
from meridian.core.models import OutboundEmail
from meridian.engagement import notices
from meridian.engagement.models import Notice

# The run after the killed one comes some minutes later (a claim older than 5 is stale).
notices.deliver_due(now=timezone.now() + dt.timedelta(minutes=int(sys.argv[2])), batch=50)
tally = lambda rows: dict(rows.values_list("status").annotate(n=Count("pk")))
print(json.dumps({"notices": tally(Notice.objects), "outbox": tally(OutboundEmail.objects)}))
"""


class HoldsOne(SmtpCollector):
    """A mail server that holds the ``hold_at``-th message without answering until released,
    then refuses it: the sender died before the server took it, as after a kill -9."""

    def __init__(self, hold_at: int) -> None:
        super().__init__()
        self.hold_at, self.seen = hold_at, 0
        self.holding, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 Not taken: the sender went away"
        return await super().handle_DATA(server, session, envelope)


def _database_url(tmp_path: Path) -> str:
    """The test database as the worker process reaches it (SQLite's in-memory one copied to a file)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    connection.ensure_connection()
    path = tmp_path / "worker.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


def _worker(url: str, port: int, minutes_later: int) -> subprocess.Popen[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(port), str(minutes_later)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_halfway_loses_nothing_and_the_next_run_sends_nothing_twice(tmp_path):
    total, hold_at = 300, 130  # batches of 50: killed inside the third batch's sending
    people = User.objects.bulk_create(
        User(email=f"kill{n}@example.org", name=f"Person {n}", time_zone="Asia/Tokyo") for n in range(total)
    )
    notices.notify_many(
        Notice(
            key=f"kill:{person.pk}",
            user=person,
            kind="cohort_point",
            template="reminder-cohort",
            context={"line": f"For {person.email}", "url": "https://example.org/"},
            line=f"For {person.email}",
        )
        for person in people
    )
    server = HoldsOne(hold_at)
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        url = _database_url(tmp_path)
        first = _worker(url, port, 0)
        assert server.holding.wait(60), first.communicate()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        server.release.set()
        assert first.returncode == -signal.SIGKILL
        assert len(server.envelopes) == hold_at - 1

        second = _worker(url, port, 10)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
    finally:
        controller.stop()
    tally = json.loads(out)
    assert tally == {"notices": {"sent": total}, "outbox": {"sent": total}}
    received = server.messages()
    assert len(received) == total
    assert Counter(m["Message-ID"] for m in received).most_common(1)[0][1] == 1
    assert {m["To"] for m in received} == {p.email for p in people}
