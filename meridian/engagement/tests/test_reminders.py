"""Reminders: meetings 24 h and 1 h before in each person's zone, action items falling due,
a cohort's key points; planned set-based, stored once per key, emailed through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from conftest import SmtpCollector
from meridian.engagement import reminders
from meridian.engagement.models import LadderSettings, Notice
from meridian.scheduling.models import MeetingStatus
from meridian.scheduling.services import meeting_cancel, meeting_move
from tests.factories import action_item, meeting_booked, mentoring_pair, people

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 3, 14, 0, tzinfo=dt.UTC)  # Tuesday: 14:00 in London, 19:45 in Kathmandu


def reminders_to(smtp: SmtpCollector) -> list[Any]:
    return [m for m in smtp.messages() if m["Subject"].startswith(("Reminder: Mentoring", "In an hour: "))]


def at(clock: time_machine.Traveller, moment: dt.datetime) -> str:
    clock.move_to(moment)
    return reminders.run(timezone.now())


def test_meeting_reminders_come_24_and_1_hour_before_in_each_persons_zone_once(pair, clock, smtp_server):
    meeting_booked(pair, START, channel="video")
    mentor, mentee = people(pair)

    at(clock, START - dt.timedelta(hours=24, minutes=5))
    assert reminders_to(smtp_server) == []  # not yet

    at(clock, START - dt.timedelta(hours=23, minutes=58))
    at(clock, START - dt.timedelta(hours=23, minutes=50))  # the next run: nothing twice
    sent = {m["To"]: m for m in reminders_to(smtp_server)}
    assert set(sent) == {mentor.email, mentee.email}
    ana, ben = sent[mentor.email], sent[mentee.email]
    assert (
        ana["Subject"]
        == f"Reminder: Mentoring session with {mentee.name}, Tuesday 3 March, 14:00 (your time)"
    )
    text = ana.get_body(("plain",)).get_content()
    html = ana.get_body(("html",)).get_content()
    assert "Tuesday 3 March 2026, 14:00–14:45 (Europe/London, your time)" in text
    assert "Tuesday 3 March 2026, 14:00–14:45</strong> (Europe/London, your time)" in html
    ben_text = ben.get_body(("plain",)).get_content()
    assert "Tuesday 3 March 2026, 19:45–20:30 (Asia/Kathmandu, your time)" in ben_text
    meeting = pair.meetings.get()
    assert f"Join: {meeting.video_url}" in ben_text
    assert meeting.video_url
    assert f"/meetings/{meeting.public_id}/" in ben_text
    assert ben["Message-ID"]
    assert ben["From"]

    at(clock, START - dt.timedelta(minutes=58))
    last = reminders_to(smtp_server)[2:]
    assert sorted(m["To"] for m in last) == sorted([mentor.email, mentee.email])
    assert all(m["Subject"].startswith("In an hour: ") for m in last)
    at(clock, START + dt.timedelta(minutes=5))
    assert len(reminders_to(smtp_server)) == 4
    assert not Notice.objects.filter(kind="meeting_reminder", counts_toward_cap=True).exists()


def test_a_moved_meeting_is_reminded_at_its_new_time_and_a_cancelled_one_not_at_all(pair, clock):
    mentor, _mentee = people(pair)
    moved = meeting_booked(pair, START)
    at(clock, START - dt.timedelta(hours=23))
    assert Notice.objects.filter(kind="meeting_reminder").count() == 2
    new_start = START + dt.timedelta(hours=3)
    meeting_move(meeting=moved, user=mentor, start=new_start, reason="A clash")
    at(clock, START - dt.timedelta(minutes=30))  # the old time's 1-hour moment: the new time's 24-hour one
    at(clock, new_start - dt.timedelta(minutes=30))
    keys = sorted(
        n.key.split(":", 2)[1] + n.key[-14:] for n in Notice.objects.filter(kind="meeting_reminder")
    )
    assert keys == ["1h20260303T1700Z"] * 2 + ["24h20260303T1400Z"] * 2 + ["24h20260303T1700Z"] * 2

    cancelled = meeting_booked(pair, START + dt.timedelta(days=2))
    meeting_cancel(meeting=cancelled, user=mentor, reason="Ill")
    assert cancelled.__class__.objects.get(pk=cancelled.pk).status == MeetingStatus.CANCELLED
    at(clock, START + dt.timedelta(days=2, minutes=-30))
    assert not [
        n for n in Notice.objects.filter(kind="meeting_reminder") if n.key.split(":")[3] == str(cancelled.pk)
    ]
    assert Notice.objects.filter(kind="meeting_reminder").count() == 6


def test_a_program_sets_its_own_reminder_hours_and_zero_turns_one_off(pair, clock):
    LadderSettings.objects.create(program=pair.program, first_reminder_hours=0, second_reminder_hours=3)
    meeting_booked(pair, START)
    at(clock, START - dt.timedelta(hours=20))
    assert not Notice.objects.filter(kind="meeting_reminder").exists()
    at(clock, START - dt.timedelta(hours=2, minutes=55))
    assert [n.key.split(":")[1] for n in Notice.objects.filter(kind="meeting_reminder")] == ["3h", "3h"]


def test_meeting_planning_reads_a_fixed_number_of_queries(clock, django_assert_num_queries):
    pairs = [mentoring_pair() for _ in range(3)]
    for n, pair in enumerate(pairs):
        meeting_booked(pair, START + dt.timedelta(minutes=n))
    clock.move_to(START - dt.timedelta(hours=23))
    # the widest setting, the meetings, the programs' settings, the members, one insert
    with django_assert_num_queries(5):
        assert reminders.plan_meetings(timezone.now()) == 6


def test_an_action_item_is_reminded_once_to_its_owner_the_day_before_in_their_zone(pair, clock, smtp_server):
    _mentor, mentee = people(pair)  # in Kathmandu: 13:45 on Monday 2 March
    item = action_item(pair, "Draft the talk outline", due_on=dt.date(2026, 3, 3))
    action_item(pair, "Later", due_on=dt.date(2026, 3, 5))
    done = action_item(pair, "Done already", due_on=dt.date(2026, 3, 3))
    done.done_at = timezone.now()
    done.save(update_fields=["done_at"])

    reminders.run(timezone.now())
    reminders.run(timezone.now() + dt.timedelta(hours=20))  # on the day: once was enough
    (email,) = [m for m in smtp_server.messages() if "Due" in m["Subject"]]
    assert email["To"] == mentee.email
    assert email["Subject"] == "Due tomorrow: Draft the talk outline"
    assert "due tomorrow, Tuesday 3 March:" in email.get_body(("plain",)).get_content()
    assert Notice.objects.get(kind="action_due").key == f"action_due:{item.pk}:2026-03-03"


def test_a_cohorts_key_points_reach_its_members_where_the_program_wants_them(pair, clock):
    cohort = pair.cohort
    mentor, mentee = people(pair)
    reminders.plan_cohorts(timezone.now())  # the cohort starts today
    assert {(n.user_id, n.context["point"]) for n in Notice.objects.filter(kind="cohort_point")} == {
        (mentor.pk, "start"),
        (mentee.pk, "start"),
    }
    middle = cohort.starts_on + (cohort.ends_on - cohort.starts_on) / 2
    clock.move_to(dt.datetime.combine(middle, dt.time(9), tzinfo=dt.UTC))
    LadderSettings.objects.create(program=pair.program, cohort_reminders=False)
    assert reminders.plan_cohorts(timezone.now()) == 0
    LadderSettings.objects.filter(program=pair.program).update(cohort_reminders=True)
    assert reminders.plan_cohorts(timezone.now()) == 2
    assert reminders.plan_cohorts(timezone.now()) == 2  # offered again, stored once
    assert Notice.objects.filter(kind="cohort_point", context__point="midpoint").count() == 2
    assert [p for p, _d in reminders.key_points(cohort)] == ["start", "midpoint", "month_left", "end"]
