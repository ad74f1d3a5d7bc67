"""The manager's check-in queue: refreshed from the stored health (at risk, a check-in
needed for a week, standing contacts), and worked from its page (log a contact, snooze,
resolve), for the program's managers only; the managers' daily digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from meridian.engagement import queue, selectors
from meridian.engagement.models import (
    Band,
    ContactLog,
    Health,
    LadderSettings,
    Notice,
    QueueItem,
    QueueKind,
)
from meridian.mentorships.models import Mentorship
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def today() -> Any:
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Mona Manager", time_zone="America/New_York")


@pytest.fixture
def program(manager: Any) -> Any:
    return ProgramFactory(name="Bridge", managers=[manager])


def a_pair(program: Any, *, started_days_ago: int = 40) -> Mentorship:
    pair: Mentorship = mentoring_pair(program=program)
    Mentorship.objects.filter(pk=pair.pk).update(started_on=TODAY - dt.timedelta(days=started_days_ago))
    pair.refresh_from_db()
    return pair


def health(pair: Mentorship, band: str, score: int, *, since_days: int = 0, **fields: Any) -> Health:
    defaults = {
        "reasons": [f"{band} reason one", f"{band} reason two"],
        "signals": ["contact_gap", "no_goals"],
        "last_activity_at": dt.datetime(2026, 5, 1, 16, 30, tzinfo=dt.UTC),
    }
    row, _ = Health.objects.update_or_create(
        mentorship=pair,
        defaults={
            "band": band,
            "score": score,
            "band_since": TODAY - dt.timedelta(days=since_days),
            "assessed_on": TODAY,
            **defaults,
            **fields,
        },
    )
    return row


def open_items(pair: Mentorship) -> list[tuple[str, str]]:
    return sorted(QueueItem.objects.filter(mentorship=pair, resolved_at=None).values_list("kind", "reason"))


# ---------------------------------------------------------------- the standing schedule


def test_it_schedules_standing_contacts_twice_in_the_first_month_then_monthly_then_quarterly():
    start = dt.date(2026, 1, 1)
    dates = queue.standing_dates(start)
    days = [(next(dates) - start).days for _ in range(10)]
    assert days == [7, 28, 61, 91, 122, 152, 182, 273, 364, 455]


# ---------------------------------------------------------------- refresh


def test_it_opens_items_for_pairs_at_risk_or_needing_a_check_in_for_a_week(program):
    at_risk, week, fresh, fine = (a_pair(program) for _ in range(4))
    health(at_risk, Band.AT_RISK, 30)
    health(week, Band.CHECK_IN, 60, since_days=7)
    health(fresh, Band.CHECK_IN, 60, since_days=3)
    health(fine, Band.ON_TRACK, 90)
    LadderSettings.objects.create(program=program, standing_contacts=False)

    done = queue.refresh(today=TODAY)

    assert done["opened"] == 2
    assert open_items(at_risk) == [(QueueKind.AT_RISK, "at_risk reason one")]
    assert open_items(week) == [(QueueKind.HEALTH, "check_in reason one")]
    assert open_items(fresh) == open_items(fine) == []
    first, second = QueueItem.objects.order_by("-urgency")
    assert (first.mentorship, second.mentorship) == (at_risk, week)
    assert queue.refresh(today=TODAY)["opened"] == 0  # once


def test_it_follows_the_programs_alert_delay_and_switch(program):
    ladder = LadderSettings.objects.create(program=program, alert_after_days=3, standing_contacts=False)
    pair = a_pair(program)
    health(pair, Band.CHECK_IN, 60, since_days=3)
    queue.refresh(today=TODAY)
    assert open_items(pair) == [(QueueKind.HEALTH, "check_in reason one")]
    ladder.alerts = False
    ladder.save()
    other = a_pair(program)
    health(other, Band.AT_RISK, 20)
    queue.refresh(today=TODAY)
    assert open_items(other) == []


def test_it_closes_items_of_pairs_back_on_track_unless_a_manager_logged_a_contact(program, manager):
    LadderSettings.objects.create(program=program, standing_contacts=False)
    quiet, called = a_pair(program), a_pair(program)
    for pair in (quiet, called):
        health(pair, Band.AT_RISK, 30)
    queue.refresh(today=TODAY)
    item = QueueItem.objects.get(mentorship=called)
    ContactLog.objects.create(mentorship=called, item=item, manager=manager, channel="call", outcome="helped")
    for pair in (quiet, called):
        health(pair, Band.ON_TRACK, 85)

    assert queue.refresh(today=TODAY)["resolved"] == 1

    closed = QueueItem.objects.get(mentorship=quiet)
    assert closed.resolved_at is not None
    assert closed.resolved_by is None  # closed by itself
    assert open_items(called) == [(QueueKind.AT_RISK, "at_risk reason one")]  # the manager closes it


def test_it_hands_a_check_in_over_to_at_risk_and_keeps_the_reason_current(program):
    LadderSettings.objects.create(program=program, standing_contacts=False)
    pair = a_pair(program)
    health(pair, Band.CHECK_IN, 60, since_days=8)
    queue.refresh(today=TODAY)
    health(pair, Band.AT_RISK, 20, reasons=["Worse now."])
    queue.refresh(today=TODAY)
    assert open_items(pair) == [(QueueKind.AT_RISK, "Worse now.")]
    health(pair, Band.AT_RISK, 10, reasons=["Worse still."])
    assert queue.refresh(today=TODAY)["updated"] == 1
    assert open_items(pair) == [(QueueKind.AT_RISK, "Worse still.")]
    assert QueueItem.objects.get(mentorship=pair, resolved_at=None).urgency == 290


def test_a_check_in_with_a_logged_contact_is_handed_over_to_at_risk_too(program, manager):
    LadderSettings.objects.create(program=program, standing_contacts=False)
    pair = a_pair(program)
    health(pair, Band.CHECK_IN, 60, since_days=8)
    queue.refresh(today=TODAY)
    item = QueueItem.objects.get(mentorship=pair)
    ContactLog.objects.create(
        mentorship=pair, item=item, manager=manager, channel="call", outcome="left_word"
    )
    health(pair, Band.AT_RISK, 20, reasons=["Worse now."])
    queue.refresh(today=TODAY)
    assert open_items(pair) == [(QueueKind.AT_RISK, "Worse now.")]  # one card, not two
    assert ContactLog.objects.filter(mentorship=pair).count() == 1  # the call stays on the pair's record


def test_it_closes_the_items_of_a_pair_that_ended(program):
    pair = a_pair(program)
    health(pair, Band.AT_RISK, 30)
    queue.refresh(today=TODAY)
    Mentorship.objects.filter(pk=pair.pk).update(status="ended")
    queue.refresh(today=TODAY)
    assert open_items(pair) == []


def test_it_schedules_no_standing_contact_beside_a_health_item_or_when_the_program_turns_them_off(program):
    other = ProgramFactory()
    LadderSettings.objects.create(program=other, standing_contacts=False)
    troubled, elsewhere = a_pair(program), a_pair(other)
    health(troubled, Band.AT_RISK, 30)
    health(elsewhere, Band.ON_TRACK, 90)
    queue.refresh(today=TODAY)
    assert [k for k, _ in open_items(troubled)] == [QueueKind.AT_RISK]
    assert open_items(elsewhere) == []


def test_it_refreshes_in_a_fixed_number_of_queries(program, django_assert_max_num_queries):
    def refresh_with(n: int) -> int:
        for _ in range(n):
            health(a_pair(program), Band.AT_RISK, 30)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            queue.refresh(today=TODAY)
        return len(queries)

    first = refresh_with(2)
    QueueItem.objects.all().delete()
    Notice.objects.all().delete()
    assert refresh_with(6) == first


# ---------------------------------------------------------------- the managers' digest


def test_it_stores_one_digest_a_day_per_manager_at_eight_in_their_zone(program, manager):
    other_manager = UserFactory(time_zone="Asia/Tokyo")
    program.managers.add(other_manager)
    pair = a_pair(program)
    health(pair, Band.AT_RISK, 30)
    mentor, mentee = people(pair)

    assert queue.refresh(today=TODAY)["digests"] == 2
    assert queue.refresh(today=TODAY)["digests"] == 0  # a refresh run twice stores one

    notice = Notice.objects.get(user=manager)
    assert notice.key == f"manager_digest:{manager.pk}:{TODAY.isoformat()}"
    assert not notice.counts_toward_cap
    assert notice.due_at == dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)  # 08:00 in New York
    assert Notice.objects.get(user=other_manager).due_at == dt.datetime(2026, 5, 19, 23, 0, tzinfo=dt.UTC)
    assert notice.context["total"] == 1
    assert notice.context["items"][0]["reason"] == "at_risk reason one"
    assert mentor.name in notice.context["items"][0]["pair"]
    assert mentee.name in notice.context["items"][0]["pair"]


def test_it_sends_no_digest_when_the_queue_is_empty(program):
    health(a_pair(program, started_days_ago=3), Band.TOO_EARLY, 100)
    assert queue.refresh(today=TODAY)["digests"] == 0
    assert not Notice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_emails_the_digest_with_the_most_urgent_and_a_link_to_the_queue(program, manager, smtp_server):
    from django.conf import settings

    from meridian.engagement import notices

    pair = a_pair(program)
    health(pair, Band.AT_RISK, 30)
    queue.refresh(today=TODAY)
    assert notices.deliver_due(now=dt.datetime(2026, 5, 20, 11, 59, tzinfo=dt.UTC))["sent"] == 0
    assert notices.deliver_due(now=dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC))["sent"] == 1

    (mail,) = smtp_server.messages()
    assert mail["To"] == manager.email
    assert mail["Subject"] == "1 pair to contact today"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    link = f"{settings.SITE_URL}/programs/{program.public_id}/check-ins/"
    for body in (text, html):
        assert "at_risk reason one" in body
        assert "Wednesday 20 May 2026" in body
        assert "America/New_York" in body
    assert link in text
    assert f'href="{link}"' in html


# ---------------------------------------------------------------- the queue page


@pytest.fixture
def worked(program: Any, manager: Any, client: Client) -> Any:
    """A queue with a pair at risk (the mentor reported the mentee) and one to check in with."""
    from meridian.mentorships.models import UnresponsiveReport

    LadderSettings.objects.create(program=program, standing_contacts=False)
    at_risk, check_in = a_pair(program), a_pair(program)
    mentor, _mentee = people(at_risk)
    UnresponsiveReport.objects.create(
        mentorship=at_risk, reporter=mentor, reporter_role="mentor", since=dt.date(2026, 5, 3), tried="Calls"
    )
    health(
        at_risk, Band.AT_RISK, 25, reasons=["The mentor reports no answer."], signals=["report_unresponsive"]
    )
    health(check_in, Band.CHECK_IN, 55, since_days=9)
    queue.refresh(today=TODAY)
    client.force_login(manager)
    first = QueueItem.objects.get(mentorship=at_risk)
    second = QueueItem.objects.get(mentorship=check_in)
    return first, second


def test_it_lists_the_pairs_most_urgent_first_with_reasons_last_contact_and_next_step(worked, client):
    first, second = worked
    page = client.get(f"/programs/{first.mentorship.program.public_id}/check-ins/").content.decode()
    assert page.index(f"item-{first.public_id}") < page.index(f"item-{second.public_id}")
    assert "The mentor reports no answer." in page
    assert "Call the mentee: the mentor reports no answer since 3 May." in page
    assert "Call both: ask what gets in the way of meeting and agree the next date." in page
    assert "Fri 1 May 2026, 12:30 (America/New York)" in page  # 16:30 UTC, the manager's clock
    assert "At risk · 25" in page


def test_it_says_when_no_pair_needs_the_manager(program, client, manager):
    client.force_login(manager)
    page = client.get(f"/programs/{program.public_id}/check-ins/").content.decode()
    assert "No pair needs you today." in page


def test_it_logs_a_contact_and_keeps_a_health_item_open_until_resolved(worked, client, manager):
    first, _ = worked
    answer = client.post(
        f"/check-ins/{first.public_id}/log/",
        {"channel": "call", "outcome": "no_answer", "note": "Voicemail"},
        headers=HTMX,
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Contact logged." in html
    assert "Voicemail" in html
    log = ContactLog.objects.get()
    assert (log.mentorship, log.item, log.manager, log.channel, log.outcome) == (
        first.mentorship,
        first,
        manager,
        "call",
        "no_answer",
    )
    first.refresh_from_db()
    assert first.resolved_at is None


def test_it_shows_what_is_missing_next_to_the_field_and_writes_nothing(worked, client):
    first, _ = worked
    answer = client.post(f"/check-ins/{first.public_id}/log/", {"outcome": "reached"}, headers=HTMX)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "This field is required." in html
    assert '<details class="inline-form" open>' in html
    assert not ContactLog.objects.exists()
    plain = client.post(f"/check-ins/{first.public_id}/log/", {"channel": "call", "outcome": "x" * 11})
    assert plain.status_code == 302
    assert not ContactLog.objects.exists()


def test_it_snoozes_an_item_out_of_the_queue_until_its_day(worked, client, program):
    first, _ = worked
    answer = client.post(f"/check-ins/{first.public_id}/snooze/", {"days": "7"}, headers=HTMX)
    assert "Snoozed until 27 May." in answer.content.decode()
    first.refresh_from_db()
    assert first.snoozed_until == TODAY + dt.timedelta(days=7)
    assert list(selectors.queue_items(program, TODAY)) == [worked[1]]
    assert first in selectors.queue_items(program, TODAY + dt.timedelta(days=7))
    refused = client.post(f"/check-ins/{worked[1].public_id}/snooze/", {"days": "5"}, headers=HTMX)
    assert "Select a valid choice." in refused.content.decode()
    assert QueueItem.objects.get(pk=worked[1].pk).snoozed_until is None


def test_it_marks_an_item_resolved_once(worked, client, manager):
    first, _ = worked
    answer = client.post(f"/check-ins/{first.public_id}/resolve/")
    assert answer.status_code == 302
    first.refresh_from_db()
    assert (first.resolved_by, first.resolved_at) == (manager, timezone.now())
    again = client.post(f"/check-ins/{first.public_id}/resolve/", headers=HTMX)
    assert again.status_code == 200
    assert "This pair was already marked resolved." in again.content.decode()


def test_it_reads_the_queue_in_a_fixed_number_of_queries(program, manager, client, django_assert_num_queries):
    LadderSettings.objects.create(program=program, standing_contacts=False)
    client.force_login(manager)

    def page_with(n: int) -> int:
        for _ in range(n):
            health(a_pair(program), Band.AT_RISK, 30)
        queue.refresh(today=TODAY)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/programs/{program.public_id}/check-ins/").status_code == 200
        return len(queries)

    few = page_with(2)
    assert page_with(5) == few
    with django_assert_num_queries(few):
        client.get(f"/programs/{program.public_id}/check-ins/")
