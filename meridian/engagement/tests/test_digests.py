"""The daily digest: one email at about 08:00 in the person's zone listing what was kept for
it, once per local day, counted as one email toward the monthly cap."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from meridian.engagement import digests, notices
from meridian.engagement.models import EmailPreference, Notice, NoticeMode, NoticeStatus
from tests.factories import people

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # Monday: 01:00 in London, 06:45 in Kathmandu


def kept(person: Any, pair: Any, text: str) -> None:
    notices.notify(
        user=person,
        kind="cohort_point",
        key=f"test:{person.pk}:{text}",
        template="reminder-cohort",
        context={"line": text, "url": f"https://example.org/{len(text)}"},
        line=text,
        mentorship=pair,
    )


def digests_to(smtp: Any) -> list[Any]:
    return [m for m in smtp.messages() if "reminders for" in m["Subject"]]


def test_the_digest_leaves_at_eight_in_the_persons_morning_once_a_day(pair, clock, smtp_server):
    _mentor, mentee = people(pair)  # in Kathmandu
    EmailPreference.objects.create(user=mentee, mode=NoticeMode.DIGEST)
    kept(mentee, pair, "Your cohort is half way")
    kept(mentee, pair, "An action item is due tomorrow")
    notices.deliver_due()
    assert digests.run(timezone.now()).startswith("digests {}")  # 06:45 there: not yet

    clock.move_to(dt.datetime(2026, 3, 2, 2, 20, tzinfo=dt.UTC))  # 08:05 in Kathmandu
    digests.run(timezone.now())
    kept(mentee, pair, "A late one")  # arrives after today's digest: waits for tomorrow's
    notices.deliver_due()
    digests.run(timezone.now() + dt.timedelta(hours=1))
    (email,) = digests_to(smtp_server)
    assert email["To"] == mentee.email
    assert email["Subject"] == "Your 2 reminders for Monday 2 March"
    text = email.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = email.get_body(("html",)).get_content()
    assert "- Your cohort is half way\n  https://example.org/23" in text
    assert "- An action item is due tomorrow" in text
    assert "A late one" not in text
    assert '<li>Your cohort is half way <a href="https://example.org/23">Open</a></li>' in html

    clock.move_to(dt.datetime(2026, 3, 3, 2, 20, tzinfo=dt.UTC))
    digests.run(timezone.now())
    assert len(digests_to(smtp_server)) == 1  # one reminder: the subject says so
    assert smtp_server.messages()[-1]["Subject"] == "Your reminder for Tuesday 3 March"
    digest_rows = Notice.objects.filter(kind=notices.DIGEST_KIND, user=mentee)
    assert [n.key for n in digest_rows] == [
        f"digest:{mentee.pk}:2026-03-02",
        f"digest:{mentee.pk}:2026-03-03",
    ]
    assert all(n.counts_toward_cap and n.status == NoticeStatus.SENT for n in digest_rows)


def test_a_person_at_the_cap_gets_no_digest_and_its_reminders_are_held_back(pair, clock, smtp_server):
    mentor, _mentee = people(pair)  # in London: 08:00 there at 08:00 UTC
    for n in range(4):
        kept(mentor, pair, f"Single {n}")
    notices.deliver_due()  # four single emails: the month's share
    EmailPreference.objects.create(user=mentor, mode=NoticeMode.DIGEST)
    kept(mentor, pair, "Kept for the digest")
    notices.deliver_due()
    clock.move_to(dt.datetime(2026, 3, 2, 8, 30, tzinfo=dt.UTC))
    assert "'capped': 1" in digests.run(timezone.now())
    assert digests_to(smtp_server) == []
    assert Notice.objects.get(line="Kept for the digest").status == NoticeStatus.CAPPED


def test_a_digest_reached_the_next_day_is_dropped_and_what_it_listed_comes_in_the_next(
    pair, clock, smtp_server
):
    _mentor, mentee = people(pair)  # in Kathmandu
    EmailPreference.objects.create(user=mentee, mode=NoticeMode.DIGEST)
    kept(mentee, pair, "Your cohort is half way")
    notices.deliver_due()
    clock.move_to(dt.datetime(2026, 3, 2, 2, 20, tzinfo=dt.UTC))  # 08:05 in Kathmandu
    items = list(Notice.objects.filter(user=mentee, status=NoticeStatus.DIGEST))
    digests._digest(mentee, items, timezone.now(), over_cap=False)  # made; the worker stopped before sending

    clock.move_to(dt.datetime(2026, 3, 3, 2, 20, tzinfo=dt.UTC))  # the next morning, the worker back
    digests.run(timezone.now())
    assert smtp_server.messages() == []  # Monday's digest is not sent on Tuesday
    assert Notice.objects.get(key=f"digest:{mentee.pk}:2026-03-02").status == NoticeStatus.DROPPED
    digests.run(timezone.now() + dt.timedelta(hours=1))

    (email,) = smtp_server.messages()
    assert email["Subject"] == "Your reminder for Tuesday 3 March"
    assert "Your cohort is half way" in email.get_body(("plain",)).get_content()
