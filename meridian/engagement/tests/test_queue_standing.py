"""The check-in queue's schedule and a manager's word on it: regular check-ins never
backfilled, spread over the days and shown a few days ahead, a recent contact counting as
one; "mark resolved" standing until the pair changes band or gets worse; the ladder's
alerts to a manager gathered in one email per run."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.test import Client

from meridian.engagement import queue, queue_digest
from meridian.engagement.models import Band, ContactLog, Health, LadderSettings, QueueItem, QueueKind
from meridian.mentorships.models import Mentorship
from meridian.programs.manager_home import managed_programs
from tests.factories import ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Mona Manager")


@pytest.fixture
def program(manager: Any) -> Any:
    return ProgramFactory(name="Bridge", managers=[manager])


def a_pair(program: Any, started_on: dt.date) -> Mentorship:
    pair: Mentorship = mentoring_pair(program=program)
    Mentorship.objects.filter(pk=pair.pk).update(started_on=started_on)
    pair.refresh_from_db()
    return pair


def health(
    pair: Mentorship, band: str, score: int, *, since: dt.date = TODAY, signal: str = "contact_gap"
) -> None:
    Health.objects.update_or_create(
        mentorship=pair,
        defaults={
            "band": band,
            "score": score,
            "band_since": since,
            "assessed_on": TODAY,
            "reasons": [f"{signal} in words"],
            "signals": [signal, "no_goals"],
        },
    )


def open_kinds(pair: Mentorship) -> list[str]:
    return sorted(QueueItem.objects.filter(mentorship=pair, resolved_at=None).values_list("kind", flat=True))


def due_today(program: Any, today: dt.date) -> int:
    return QueueItem.objects.filter(queue_digest.waiting(today), mentorship__program=program).count()


def to_contact(program: Any) -> int:
    """The manager's home: "N pairs to contact"."""
    row: Any = managed_programs(program.managers.get()).get()
    return int(row.to_contact)


# ---------------------------------------------------------------- regular check-ins


def test_the_schedule_is_never_backfilled_and_a_recent_contact_counts():
    start = dt.date(2026, 1, 1)

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    assert queue.standing_next(start, day(3)) == day(7)  # a new pair: its first
    assert queue.standing_next(start, day(100)) == day(122)  # first applied on day 100: the next
    assert queue.standing_next(start, day(100), spread=4) == day(126)
    assert queue.standing_next(start, day(100), last_due=day(28)) == day(91)  # missed ones: one
    assert queue.standing_next(start, day(100), last_due=day(91)) == day(122)
    assert queue.standing_next(start, day(100), last_due=day(91), contacted_on=day(115)) == day(152)
    assert queue.standing_next(start, day(100), last_due=day(91), contacted_on=day(100)) == day(122)


def test_a_cohort_well_under_way_gets_its_check_ins_spread_and_ahead_not_overdue(program):
    started = TODAY - dt.timedelta(days=60)  # day 28 was a month ago, day 61 is tomorrow
    pairs = [a_pair(program, started) for _ in range(14)]
    for pair in pairs:
        health(pair, Band.ON_TRACK, 90)

    queue.refresh(today=TODAY)

    items = list(QueueItem.objects.filter(kind=QueueKind.STANDING))
    dates = Counter(i.due_on for i in items)
    assert items
    assert min(dates) > TODAY  # none overdue: the missed day 28 is not owed
    assert max(dates) <= TODAY + dt.timedelta(days=queue.LEAD_DAYS)  # shown a few days ahead
    assert len(dates) > 1
    assert max(dates.values()) <= 2  # spread: 14 pairs over a week, two a day at most
    assert all(i.due_on == started + dt.timedelta(days=61 + queue.spread_of(i.mentorship_id)) for i in items)
    assert due_today(program, TODAY) == 0
    assert to_contact(program) == 0  # the manager's home counts what is due
    assert queue.refresh(today=TODAY)["opened"] == 0
    later = TODAY + dt.timedelta(days=queue.LEAD_DAYS)
    assert due_today(program, later) == len(items)
    with time_machine.travel(dt.datetime.combine(later, dt.time(10), tzinfo=dt.UTC)):
        assert to_contact(program) == len(items)


def test_a_pair_contacted_recently_needs_no_regular_check_in(program, manager):
    spread_free = [a_pair(program, TODAY) for _ in range(7)]
    pair = next(p for p in spread_free if queue.spread_of(p.pk) == 0)
    Mentorship.objects.filter(pk=pair.pk).update(started_on=TODAY - dt.timedelta(days=59))  # day 61 in 2
    Mentorship.objects.exclude(pk=pair.pk).update(status="ended")
    health(pair, Band.ON_TRACK, 90)
    ContactLog.objects.create(mentorship=pair, manager=manager, channel="meeting", outcome="reached")
    queue.refresh(today=TODAY)
    assert open_kinds(pair) == []
    ContactLog.objects.all().delete()
    queue.refresh(today=TODAY)
    assert open_kinds(pair) == [QueueKind.STANDING]


# ---------------------------------------------------------------- a manager's resolution stands


def test_mark_resolved_sticks_until_the_band_changes_or_the_pair_gets_worse(program, manager, clock):
    LadderSettings.objects.create(program=program, standing_contacts=False)
    pair = a_pair(program, TODAY - dt.timedelta(days=50))
    health(pair, Band.AT_RISK, 30, since=TODAY - DAY)
    queue.refresh(today=TODAY)
    client = Client()

    def resolve() -> None:
        item = QueueItem.objects.get(mentorship=pair, resolved_at=None)
        client.force_login(manager)  # a new day: signed in again
        answer = client.post(f"/check-ins/{item.public_id}/resolve/", follow=True)
        assert [str(m) for m in answer.context["messages"]] == ["Marked resolved."]

    resolve()
    clock.shift(DAY)
    health(pair, Band.AT_RISK, 28, since=TODAY - DAY)  # the same story, a little older
    assert queue.refresh(today=TODAY + DAY)["opened"] == 0
    assert open_kinds(pair) == []

    health(pair, Band.AT_RISK, 20, since=TODAY - DAY, signal="report_unresponsive")  # worse: a new sign
    assert queue.refresh(today=TODAY + DAY)["opened"] == 1
    assert open_kinds(pair) == [QueueKind.AT_RISK]
    resolve()
    clock.shift(DAY)
    health(pair, Band.AT_RISK, 25, since=TODAY - DAY, signal="contact_gap")  # another sign, not worse
    assert queue.refresh(today=TODAY + 2 * DAY)["opened"] == 0

    health(pair, Band.AT_RISK, 25, since=TODAY + 2 * DAY)  # left at risk and came back: a new band
    assert queue.refresh(today=TODAY + 2 * DAY)["opened"] == 1
    assert open_kinds(pair) == [QueueKind.AT_RISK]
    resolve()
    queue.open_item(
        mentorship=pair, kind=QueueKind.REMATCH, reason="Still at risk.", urgency=300, due_on=TODAY
    )
    queue.refresh(today=TODAY + 2 * DAY)
    assert open_kinds(pair) == [QueueKind.REMATCH]  # the ladder's next step is new


# ---------------------------------------------------------------- the managers' alert


@pytest.mark.django_db(transaction=True)
def test_a_manager_gets_one_alert_email_a_run_listing_the_pairs(program, manager, smtp_server):
    from django.utils import timezone

    from meridian.engagement import ladder, notices
    from meridian.engagement.models import Notice
    from tests.factories import people

    other = UserFactory(name="Otto Other")
    program.managers.add(other)
    pairs = [a_pair(program, TODAY - dt.timedelta(days=50)) for _ in range(3)]
    for pair in pairs:
        health(pair, Band.AT_RISK, 30)
    assert ladder.advance(today=TODAY)["alert"] == 3
    done = queue.refresh(today=TODAY)
    assert done["alerts"] == 2  # one for each manager
    assert queue.refresh(today=TODAY)["alerts"] == 0  # once

    (alert,) = Notice.objects.filter(user=manager, kind="manager_alerts")
    assert alert.counts_toward_cap is False
    assert len(alert.context["pairs"]) == 3
    notices.deliver_due(now=timezone.now())
    to_manager = [m for m in smtp_server.messages() if m["To"] == manager.email]
    subjects = sorted(m["Subject"] for m in to_manager)
    assert subjects == ["3 pairs need you", "3 pairs to contact today"]  # the alert, and the daily digest
    (mail,) = (m for m in to_manager if m["Subject"] == "3 pairs need you")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    for pair in pairs:
        mentor, mentee = people(pair)
        assert f"- {mentor.name}, {mentee.name} (Bridge): At risk: contact_gap in words" in text
        assert f"/mentorships/{pair.public_id}/" in html
    assert f"/programs/{program.public_id}/check-ins/" in text
