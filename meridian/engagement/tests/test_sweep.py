"""The health sweep: bands with their reasons from real activity, the standing kept across
sweeps (hysteresis), a pause that stops the clocks, and a sweep that is safe to run again."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from meridian.engagement import history
from meridian.engagement import sweep as sweeping
from meridian.engagement.models import Health, HealthChange, Pause
from meridian.mentorships.models import Mentorship
from meridian.mentorships.reports import report_unresponsive
from meridian.messaging.models import Thread
from meridian.messaging.services import message_send
from meridian.scheduling.services import meeting_record_outcome
from tests.factories import meeting_booked, mentoring_pair, people
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def _day(days: int) -> dt.date:
    return (NOW + dt.timedelta(days=days)).date()


def _meet(pair: Mentorship, clock: time_machine.Traveller, *days: int) -> None:
    """Meetings held on each of ``days`` (booked two days before), a message each way after."""
    mentor, mentee = people(pair)
    thread, _ = Thread.objects.get_or_create(mentorship=pair)
    for day in days:
        start = NOW + dt.timedelta(days=day)
        clock.move_to(start - dt.timedelta(days=2))
        meeting = meeting_booked(pair, start)
        clock.move_to(start + dt.timedelta(hours=1))
        meeting_record_outcome(meeting=meeting, user=mentor, outcome="held")
        message_send(thread=thread, author=mentee, body="Thanks for today")
        clock.move_to(start + dt.timedelta(hours=5))
        message_send(thread=thread, author=mentor, body="My pleasure")


def _health(pair: Mentorship) -> Health:
    return Health.objects.get(mentorship=pair)


def test_a_steady_pair_is_on_track_and_a_silent_one_is_flagged_with_its_reason(
    pair: Mentorship, clock: time_machine.Traveller
) -> None:
    silent = mentoring_pair(program=pair.program)
    _meet(pair, clock, 3, 17, 31, 45, 59)
    _meet(silent, clock, 3, 17)

    report = sweeping.sweep(_day(63))

    steady, flagged = _health(pair), _health(silent)
    assert report.count == 2
    assert steady.band == "on_track"
    assert "contact_gap" not in steady.signals
    assert steady.last_activity_at is not None
    assert steady.last_activity_at.date() == _day(59)
    assert flagged.band in ("check_in", "at_risk")
    assert flagged.signals[0] == "contact_gap"
    assert "no meeting for 6 weeks" in flagged.reasons[0].lower()
    assert "every 2 weeks" in flagged.reasons[0]
    assert steady.score > flagged.score
    assert report.bands == {"on_track": 1, flagged.band: 1}


def test_a_first_assessment_that_is_a_worry_starts_the_band_history_with_its_reason(
    pair: Mentorship, clock: time_machine.Traveller
) -> None:
    silent = mentoring_pair(program=pair.program)
    _meet(pair, clock, 3, 17, 31, 45, 59)
    _meet(silent, clock, 3, 17)

    sweeping.sweep(_day(63))  # the first sweep either pair has had

    flagged = _health(silent)
    assert flagged.band in ("check_in", "at_risk")
    changes = list(
        HealthChange.objects.values_list("mentorship_id", "on", "old_band", "new_band", "score", "reason")
    )
    assert changes == [(silent.pk, _day(63), "too_early", flagged.band, flagged.score, flagged.reasons[0])]
    # nothing agreed between them: the cadence is the program's, and the reason says so
    assert flagged.reasons[0].endswith("the program asks for a meeting every 2 weeks.")


def test_a_paused_pair_is_not_flagged(pair: Mentorship, clock: time_machine.Traveller) -> None:
    away = mentoring_pair(program=pair.program)
    _meet(pair, clock, 3, 17)
    _meet(away, clock, 3, 17)
    Pause.objects.create(mentorship=away, starts_on=_day(20), ends_on=_day(70), reason="Parental leave")

    sweeping.sweep(_day(63))

    assert _health(pair).band in ("check_in", "at_risk")  # the same silence, not paused
    assert _health(away).band == "on_track"
    assert "contact_gap" not in _health(away).signals


def test_at_risk_holds_for_two_good_sweeps_and_each_change_is_kept(
    pair: Mentorship, clock: time_machine.Traveller
) -> None:
    mentor, mentee = people(pair)
    _meet(pair, clock, 3, 17)
    sweeping.sweep(_day(20))
    assert _health(pair).band == "on_track"
    clock.move_to(NOW + dt.timedelta(days=21))
    report_unresponsive(mentorship=pair, user=mentee, since=_day(18), tried="Two messages, one call")

    sweeping.sweep(_day(21))
    assert _health(pair).band == "at_risk"
    assert _health(pair).signals[0] == "report_unresponsive"
    clock.move_to(NOW + dt.timedelta(days=22))
    message_send(thread=Thread.objects.get(mentorship=pair), author=mentor, body="Sorry, I was away")
    message_send(thread=Thread.objects.get(mentorship=pair), author=mentee, body="No problem")

    sweeping.sweep(_day(23))  # the report is answered, but one good sweep is not enough
    held = _health(pair)
    sweeping.sweep(_day(24))

    assert (held.band, held.good_sweeps, held.band_since) == ("at_risk", 1, _day(21))
    assert _health(pair).band == "on_track"
    assert _health(pair).band_since == _day(24)
    changes = list(
        HealthChange.objects.filter(mentorship=pair).values_list("on", "old_band", "new_band", "reason")
    )
    assert [c[:3] for c in changes] == [(_day(21), "on_track", "at_risk"), (_day(24), "at_risk", "on_track")]
    assert "mentee" in changes[0][3]  # the top reason, naming who reported
    assert changes[1][3] == ""  # better: no reason needed


def test_a_second_sweep_the_same_day_changes_nothing_and_a_halted_one_is_finished(
    pair: Mentorship, clock: time_machine.Traveller
) -> None:
    others = [mentoring_pair(program=pair.program) for _ in range(3)]
    _meet(pair, clock, 3)

    halfway = sweeping.sweep(_day(30), mentorship_ids=[pair.pk, others[0].pk])  # then "killed"
    rest = sweeping.sweep(_day(30))
    before = list(Health.objects.order_by("id").values())
    changed = list(HealthChange.objects.order_by("id").values())
    again = sweeping.sweep(_day(30))

    assert (halfway.count, rest.count, again.count) == (2, 2, 0)
    assert list(Health.objects.order_by("id").values()) == before
    assert Health.objects.count() == 4
    assert list(HealthChange.objects.order_by("id").values()) == changed
    # one first change for each pair the first sweep flagged, none for the others
    flagged = set(
        Health.objects.filter(band__in=("check_in", "at_risk")).values_list("mentorship_id", flat=True)
    )
    assert flagged
    assert sorted(c["mentorship_id"] for c in changed) == sorted(flagged)


def test_the_sweep_takes_the_same_queries_for_3_or_30_pairs(clock: time_machine.Traveller) -> None:
    first = [mentoring_pair() for _ in range(3)]
    small = sweeping.sweep(_day(30), mentorship_ids=[m.pk for m in first])
    more = [mentoring_pair() for _ in range(30)]
    large = sweeping.sweep(_day(30), mentorship_ids=[m.pk for m in more])

    assert (small.count, large.count) == (3, 30)
    assert small.queries == large.queries
    assert large.queries <= history.QUERIES_PER_CHUNK + 6


def test_an_ended_relationship_is_not_swept(pair: Mentorship) -> None:
    Mentorship.objects.filter(pk=pair.pk).update(status="ended")

    report = sweeping.sweep(_day(30))

    assert report.count == 0
    assert not Health.objects.exists()


def test_the_periodic_job_and_the_command_say_what_they_did(pair: Mentorship) -> None:
    line = sweeping.run(NOW + dt.timedelta(days=30))
    out = StringIO()
    call_command("sweep_health", "--date", _day(31).isoformat(), stdout=out)

    assert line.startswith("1 assessed (1 ")
    assert _health(pair).assessed_on == _day(31)
    assert "1 assessed" in out.getvalue()
    assert f"{_health(pair).band}: 1" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep_health", "--date", "31/03/2026")
