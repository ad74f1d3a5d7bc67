"""The escalation ladder: each step once, at the right day, never for a paused pair or a
pair on track; the one-click answers it sends; the closure after notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client, TestCase
from django.utils import timezone

from meridian.engagement import ladder, notices
from meridian.engagement.ladder import advance, episodes
from meridian.engagement.models import (
    ContactLog,
    Escalation,
    Health,
    HealthChange,
    LadderSettings,
    Notice,
    Pause,
    QueueItem,
    Step,
)
from meridian.mentorships.models import CheckIn, Closure, UnresponsiveReport
from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db
GAP = "No meeting for 5 weeks; they agreed every 2 weeks."  # the manager's reason
FIRST = "You haven't had your first meeting yet: your mentorship started on 2 March."  # the pair's words
WEEKDAYS = "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00"


def _health(pair: Any, band: str, *, since: dt.date | None = None, last: dt.datetime | None = None) -> Health:
    """The pair's stored health, as the sweep writes it (a band change recorded)."""
    today = timezone.localdate()
    old = Health.objects.filter(mentorship=pair).values_list("band", flat=True).first()
    if old is not None and old != band:
        HealthChange.objects.create(mentorship=pair, on=today, old_band=old, new_band=band, score=50)
    health, _created = Health.objects.update_or_create(
        mentorship=pair,
        defaults={
            "band": band,
            "band_since": since or today,
            "score": 30 if band == "at_risk" else 60 if band == "check_in" else 90,
            "reasons": [GAP] if band in ("check_in", "at_risk") else [],
            "signals": ["contact_gap"] if band in ("check_in", "at_risk") else [],
            "last_activity_at": last,
            "assessed_on": today,
        },
    )
    return health


def _later(clock: time_machine.Traveller, days: int) -> dt.date:
    clock.shift(dt.timedelta(days=days))
    return timezone.localdate()


def _steps(pair: Any) -> list[tuple[int, str]]:
    return list(
        Escalation.objects.filter(mentorship=pair).order_by("at", "id").values_list("episode", "step")
    )


def _kinds(user: Any) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_episodes_count_each_time_a_pair_left_on_track() -> None:
    changes = [(1, "too_early", "on_track"), (1, "on_track", "check_in"), (1, "check_in", "on_track")]
    changes += [(1, "on_track", "at_risk"), (2, "at_risk", "check_in")]
    assert episodes(changes, {1: "at_risk", 2: "check_in", 3: "check_in", 4: "on_track"}) == {
        1: 2,  # left on track twice
        2: 1,  # started at risk: its first episode
        3: 1,  # no change yet, not on track
        4: 0,
    }


def test_a_pair_needing_a_check_in_is_nudged_once_then_a_last_time_a_week_later(pair, clock) -> None:
    mentor, mentee = people(pair)
    _health(pair, "check_in")
    assert advance(today=timezone.localdate())["nudge"] == 1
    assert advance(today=timezone.localdate())["nudge"] == 0  # a second run does nothing
    assert _kinds(mentor) == _kinds(mentee) == ["nudge"]
    assert not advance(today=_later(clock, 6))["last_nudge"]
    assert advance(today=_later(clock, 1))["last_nudge"] == 1
    for _ in range(3):  # never more than two per episode
        advance(today=_later(clock, 7))
    assert [k for k in _kinds(mentee) if "nudge" in k] == ["nudge", "last_nudge"]
    assert Notice.objects.filter(kind__contains="nudge").count() == 4


def test_on_track_and_paused_pairs_are_left_alone(pair, clock) -> None:
    _health(pair, "on_track")
    assert not sum(advance(today=timezone.localdate()).values())
    _health(pair, "at_risk")
    today = timezone.localdate()
    Pause.objects.create(
        mentorship=pair, starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5)
    )
    assert not sum(advance(today=today).values())
    assert not Escalation.objects.exists()
    assert sum(advance(today=_later(clock, 6)).values())  # the pause is over


def test_managers_are_alerted_after_a_week_of_check_in_or_at_once_at_risk(pair, clock) -> None:
    manager = UserFactory()
    pair.program.managers.add(manager)
    _health(pair, "check_in")
    advance(today=timezone.localdate())
    assert "alert" not in _kinds(manager)
    assert advance(today=_later(clock, 6))["alert"] == 0
    assert advance(today=_later(clock, 1))["alert"] == 1
    [item] = QueueItem.objects.filter(mentorship=pair)
    assert (item.kind, item.reason) == ("health", GAP)
    notice = Notice.objects.get(user=manager, kind="alert")
    assert notice.counts_toward_cap is False
    # at risk in a new episode: alerted the same day
    _health(pair, "on_track")
    advance(today=_later(clock, 1))
    from meridian.engagement.models import HealthChange

    HealthChange.objects.create(
        mentorship=pair, on=timezone.localdate(), old_band="on_track", new_band="at_risk", score=30
    )
    _health(pair, "at_risk")
    assert advance(today=_later(clock, 1))["alert"] == 1
    assert Escalation.objects.filter(mentorship=pair, step=Step.ALERT).count() == 2


def test_rematch_is_suggested_a_week_after_a_managers_contact_if_still_at_risk(pair, clock) -> None:
    manager = UserFactory()
    pair.program.managers.add(manager)
    _health(pair, "at_risk")
    advance(today=timezone.localdate())
    clock.shift(dt.timedelta(hours=1))
    ContactLog.objects.create(mentorship=pair, manager=manager, channel="call", outcome="no_answer")
    assert advance(today=_later(clock, 6))["rematch"] == 0
    assert advance(today=_later(clock, 1))["rematch"] == 1
    assert QueueItem.objects.filter(mentorship=pair, kind="rematch", resolved_at=None).exists()
    assert "rematch" in _kinds(manager)
    assert pair.status == "active"  # nothing is re-matched automatically


def test_rematch_is_suggested_when_a_partner_is_unresponsive_for_three_weeks(pair, clock) -> None:
    _mentor, mentee = people(pair)
    UnresponsiveReport.objects.create(
        mentorship=pair, reporter=mentee, reporter_role="mentee", since=timezone.localdate(), tried="Emails"
    )
    LadderSettings.objects.create(program=pair.program, alerts=False)
    _health(pair, "at_risk")
    assert advance(today=_later(clock, 20))["rematch"] == 0
    CheckIn.objects.create(mentorship=pair, author=mentee, mood=2)  # the reporter, not the partner
    assert advance(today=_later(clock, 1))["rematch"] == 1


def test_the_partner_heard_from_stops_the_unresponsive_rematch(pair, clock) -> None:
    mentor, mentee = people(pair)
    UnresponsiveReport.objects.create(
        mentorship=pair, reporter=mentee, reporter_role="mentee", since=timezone.localdate(), tried="Emails"
    )
    _health(pair, "at_risk")
    clock.shift(dt.timedelta(days=2))
    CheckIn.objects.create(mentorship=pair, author=mentor, mood=3)
    assert advance(today=_later(clock, 25))["rematch"] == 0


def _quiet_pair(pair: Any, clock: time_machine.Traveller) -> dt.date:
    _health(pair, "at_risk", last=timezone.now())
    advance(today=_later(clock, 89))
    assert not Escalation.objects.filter(step=Step.CLOSURE).exists()
    return _later(clock, 1)


def test_a_closure_is_proposed_after_90_quiet_days_and_happens_after_notice(pair, clock, smtp_server) -> None:
    mentor, mentee = people(pair)
    manager = UserFactory()
    pair.program.managers.add(manager)
    assert advance(today=_quiet_pair(pair, clock))["closure"] == 1
    assert Notice.objects.filter(kind="closure").count() == 3
    proposal = Escalation.objects.get(step=Step.CLOSURE)
    assert proposal.due_on == timezone.localdate() + dt.timedelta(days=7)
    assert advance(today=_later(clock, 6))["closed"] == 0
    assert advance(today=_later(clock, 1))["closed"] == 1
    assert Notice.objects.filter(kind="closed").count() == 3
    pair.refresh_from_db()
    assert (pair.status, pair.closure.reason, pair.closure.closed_by) == ("ended", "no_contact", None)
    assert set(pair.closure.members.all()) == {mentor, mentee}
    assert advance(today=_later(clock, 1))["closed"] == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        notices.deliver_due(now=timezone.now())
    survey = [
        m for m in smtp_server.messages() if m["To"] == mentee.email and "how did it go" in m["Subject"]
    ]
    assert len(survey) == 1
    assert f"/mentorships/{pair.public_id}/close/" in survey[0].get_body(("plain",)).get_content()
    client = Client()
    client.force_login(mentee)
    page = " ".join(client.get(f"/mentorships/{pair.public_id}/close/").content.decode().split())
    assert "by the program: nobody answered its notice" in page
    assert "What was achieved" in page  # the closing survey: their reflection still to write


def test_still_going_yes_withdraws_the_closure_and_counts_as_contact(pair, clock, client: Client) -> None:
    _mentor, mentee = people(pair)
    advance(today=_quiet_pair(pair, clock))
    notice = Notice.objects.get(user=mentee, kind="closure")
    answer = client.post(urlsplit(notice.context["going_yes"]).path)
    assert answer.status_code == 200
    assert "stays open" in answer.content.decode()
    assert Escalation.objects.get(step=Step.CLOSURE).withdrawn_at is not None
    assert CheckIn.objects.filter(mentorship=pair, author=mentee).count() == 1
    advance(today=_later(clock, 10))
    pair.refresh_from_db()
    assert pair.status == "active"
    assert not Closure.objects.exists()


def test_a_link_for_someone_elses_pair_is_refused(pair, clock, client: Client) -> None:
    from meridian.engagement import links

    stranger = UserFactory()
    answer = client.post(urlsplit(links.link(stranger, "ladder_going", pair.public_id, "yes")).path)
    assert answer.status_code == 400
    assert "not yours" in answer.content.decode()


@pytest.mark.pair(mentor={"profile__availability": WEEKDAYS}, mentee={"profile__availability": WEEKDAYS})
def test_a_nudge_email_offers_three_mutual_times_in_the_recipients_zone(
    pair, clock, smtp_server, client
) -> None:
    mentor, mentee = people(pair)  # London and Kathmandu (5:45 ahead)
    _health(pair, "check_in")
    advance(today=timezone.localdate())
    with TestCase.captureOnCommitCallbacks(execute=True):
        notices.deliver_due(now=timezone.now())
    [email] = [m for m in smtp_server.messages() if m["To"] == mentee.email]
    assert email["Subject"] == f"Time to meet {mentor.name}?"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert FIRST in text  # worded for the reader from the pair's facts
    assert GAP not in text  # never the manager's reason
    assert f"Time to meet: {FIRST}" == Notice.objects.get(user=mentee, kind="nudge").line
    assert "your time (Asia/Kathmandu)" in text
    times = re.findall(r"^- (\w+ \d+ \w+), (\d\d:\d\d): (http\S+)", text, re.M)
    assert len({day for day, _time, _url in times}) == 3  # three days
    for _day, time, _url in times:  # both 09:00-17:00: London's 09:00 is 14:45 in Kathmandu
        assert "14:45" <= time <= "16:15"
    assert html.count("/r/") == 5  # three times and "did you meet?" yes / no
    proposed = client.post(urlsplit(times[0][2]).path)
    assert proposed.status_code == 200
    assert "Time proposed" in proposed.content.decode()
    # the time proposed, as the email offered it: in the mentee's zone, named
    said = " ".join(proposed.content.decode().split())
    assert f"You proposed {times[0][0]} 2026, {times[0][1]}, your time (Asia/Kathmandu)." in said
    meeting = pair.meetings.get()
    assert (meeting.proposed_by, meeting.minutes) == (mentee, pair.program.meeting_minutes)


def test_did_you_meet_yes_records_a_check_in_when_no_meeting_is_there_to_mark(pair, clock, client) -> None:
    mentor, _mentee = people(pair)
    _health(pair, "check_in")
    advance(today=timezone.localdate())
    notice = Notice.objects.get(user=mentor, kind="nudge")
    assert client.post(urlsplit(notice.context["met_yes"]).path).status_code == 200
    assert CheckIn.objects.filter(mentorship=pair, author=mentor).exists()
    assert client.post(urlsplit(notice.context["met_no"]).path).status_code == 200
    assert CheckIn.objects.filter(mentorship=pair).count() == 1


def test_withdraw_closure_is_a_no_op_without_one(pair, clock) -> None:
    assert ladder.withdraw_closure(pair) == 0


def test_did_you_meet_yes_marks_the_meeting_that_took_place_held(pair, clock, client) -> None:
    from tests.factories import meeting_booked

    mentor, _mentee = people(pair)
    meeting = meeting_booked(pair, timezone.now() + dt.timedelta(days=1))
    _health(pair, "check_in")
    advance(today=timezone.localdate())
    notice = Notice.objects.get(user=mentor, kind="nudge")
    clock.shift(dt.timedelta(days=2))
    assert client.post(urlsplit(notice.context["met_yes"]).path).status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("pairs", [1, 4])
def test_the_ladder_reads_in_the_same_queries_for_any_number_of_pairs(
    clock, pairs, django_assert_num_queries
) -> None:
    from tests.factories import mentoring_pair

    for _ in range(pairs):
        mentorship = mentoring_pair()
        _health(mentorship, "on_track")
        UnresponsiveReport.objects.create(
            mentorship=mentorship,
            reporter=people(mentorship)[1],
            reporter_role="mentee",
            since=timezone.localdate(),
            tried="Emails",
        )
    with django_assert_num_queries(11):  # health, changes, ladders, members, steps, pauses,
        advance(today=timezone.localdate())  # contacts, reports, and after them three reads
