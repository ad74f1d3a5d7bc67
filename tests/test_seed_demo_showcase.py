"""The demo at its best (``manage.py seed_demo``): dates around the day it is seeded, nine in ten
of the running cohort's mentees matched under the default rules, and the printed mentor and mentee
a pair across zones with held meetings and a weekly series over a clock change."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from meridian.accounts.models import User
from meridian.engagement.models import Health, HealthChange
from meridian.matching import adapter
from meridian.matching.models import MatchRun
from meridian.mentorships.models import Mentorship
from meridian.programs.demo import CROSS_ZONE_PAIRS
from meridian.programs.models import Cohort, Enrollment, Program
from meridian.scheduling.models import ActionItem, Series

pytestmark = pytest.mark.django_db


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def printed_logins(out: str) -> dict[str, str]:
    rows = re.findall(r"^  (administrator|program manager|mentor|mentee)\s+(\S+@\S+)$", out, re.MULTILINE)
    return dict(rows)


SEEDED_ON = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo() -> Iterator[dict[str, str]]:
    """The default demo, seeded on ``SEEDED_ON`` (the clock stays there for the test)."""
    with time_machine.travel(SEEDED_ON, tick=False):
        yield printed_logins(seed())


def test_its_cohorts_are_dated_around_the_day_it_is_seeded():
    for day in (dt.date(2026, 12, 7), dt.date(2027, 6, 30)):
        Program.objects.all().delete()
        User.objects.all().delete()
        with time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False):
            seed(people=60)
        one = Cohort.objects.filter(program__slug="grow-together")
        running = one.get(status="running")
        assert 55 <= (day - running.starts_on).days <= 65  # about two months ago
        assert running.starts_on < day < running.ends_on
        upcoming = one.get(status="open")
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        assert upcoming.starts_on == next_month
        finished = one.get(status="closed")
        assert finished.ends_on < day
        assert running.name == running.starts_on.strftime("%B %Y")


def test_it_matches_at_least_nine_in_ten_mentees_of_the_running_cohort_under_the_default_rules(demo):
    running = Cohort.objects.get(status="running")
    run = MatchRun.objects.get(cohort=running)
    assert run.settings == adapter.default_settings(running)
    mentees = Enrollment.objects.filter(cohort=running, role="mentee")
    matched = mentees.filter(memberships__is_current=True).distinct().count()
    assert run.mentees == mentees.count() >= 80
    assert matched == run.matched >= 0.9 * mentees.count()
    # The few left over have real reasons: an unfinished profile, or hours nobody shares.
    unmatched = mentees.exclude(memberships__is_current=True).select_related("user__profile")
    assert 0 < unmatched.count() < 0.1 * mentees.count()
    # The running cohort's people have working-day hours in their own zone.
    windows = [w for e in mentees for w in read_availability(e.user)]
    assert windows
    assert sum(start >= 5 * 60 and end <= 21 * 60 for start, end in windows) > 0.95 * len(windows)


def test_the_printed_mentor_and_mentee_are_a_pair_across_zones_with_held_meetings(demo):
    mentor, mentee = (User.objects.get(email=demo[role]) for role in ("mentor", "mentee"))
    assert mentor.time_zone != mentee.time_zone
    assert {mentor.time_zone, mentee.time_zone} in [set(p) for p in CROSS_ZONE_PAIRS]
    pair = Mentorship.objects.filter(members__user=mentor, members__is_current=True).get(
        members__user=mentee, members__is_current=True
    )
    held = pair.meetings.filter(status="held")
    assert held.count() >= 3
    for meeting in held:
        assert meeting.starts_at is not None
        assert meeting.starts_at < SEEDED_ON
        assert meeting.agenda
        assert meeting.shared_notes
        assert meeting.recap
        assert meeting.action_items.exists()
    items = ActionItem.objects.filter(mentorship=pair)
    assert items.filter(done_at__isnull=True).exists()
    assert items.filter(done_at__isnull=False).exists()
    manager = User.objects.get(email=demo["program manager"])
    cohorts = Cohort.objects.filter(program__managers=manager)
    assert cohorts.count() >= 3
    assert Mentorship.objects.filter(cohort__in=cohorts, status="active").count() >= 24


def test_the_pairs_weekly_series_crosses_a_clock_change(demo):
    mentor, mentee = (User.objects.get(email=demo[role]) for role in ("mentor", "mentee"))
    pair = Mentorship.objects.filter(members__user=mentor).get(members__user=mentee)
    series = Series.objects.get(mentorship=pair)
    assert series.every_weeks == 1
    occurrences = pair.meetings.filter(series=series).order_by("starts_at")
    starts = [s for s in occurrences.values_list("starts_at", flat=True) if s is not None]
    assert len(starts) == series.count
    assert starts[0] > SEEDED_ON
    offsets = {
        (
            s.astimezone(ZoneInfo(mentor.time_zone)).utcoffset(),
            s.astimezone(ZoneInfo(mentee.time_zone)).utcoffset(),
        )
        for s in starts
    }
    assert len(offsets) == 2  # one of them changed their clocks during the series
    local = {s.astimezone(ZoneInfo(series.zone)).time() for s in starts}
    assert len(local) == 1  # the organiser's wall-clock time stays


def read_availability(user: User) -> list[tuple[int, int]]:
    """(start, end) in minutes of each window of "Mon 09:00-12:00; Wed 14:00-17:30"."""
    found = re.findall(r"(\d\d):(\d\d)-(\d\d):(\d\d)", user.profile.availability)
    return [(int(a) * 60 + int(b), int(c) * 60 + int(d)) for a, b, c, d in found]


def test_the_manager_sees_pairs_in_every_band_with_reasons_and_one_that_recovered(demo):
    manager = User.objects.get(email=demo["program manager"])
    healths = Health.objects.filter(mentorship__program__managers=manager, assessed_on=SEEDED_ON.date())
    bands = {h.band for h in healths}
    assert bands == {"too_early", "on_track", "check_in", "at_risk"}
    flagged = healths.filter(band__in=("check_in", "at_risk"))
    assert all(h.reasons for h in flagged)
    assert 0.1 * healths.count() <= flagged.count() <= 0.3 * healths.count()
    back = HealthChange.objects.filter(old_band="at_risk", new_band="on_track", on__lt=SEEDED_ON.date())
    assert back.count() == 1
    assert healths.get(mentorship=back.get().mentorship).band == "on_track"
    worse = HealthChange.objects.filter(mentorship=back.get().mentorship, new_band="at_risk")
    assert worse.exclude(reason="").exists()  # it said why
