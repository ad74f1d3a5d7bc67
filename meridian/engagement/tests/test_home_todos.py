"""A participant's home page lists what the program asks of them on each mentorship card: an
open pulse to answer, a request to observe a session awaiting their answer, a nudge to meet
(in their words) and a proposed closure, each with its link; in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meridian.engagement import observe, pulse
from meridian.engagement.models import Escalation, Health, Pause, Pulse, Step
from tests.factories import UserFactory, meeting_booked, mentoring_pair, people

pytestmark = pytest.mark.django_db
PULSE = "Answer this month's 3-question check"


def _home(client: Client, user: Any) -> str:
    client.force_login(user)
    answer = client.get(reverse("home"))
    assert answer.status_code == 200
    return " ".join(html.unescape(answer.content.decode()).split())


def _nudged(pair: Any, signals: list[str], *, closure: bool = False) -> None:
    today = timezone.localdate()
    Health.objects.update_or_create(
        mentorship=pair,
        defaults={
            "band": "check_in",
            "band_since": today,
            "signals": signals,
            "reasons": ["The mentee rated the relationship 2 of 5 on 1 March."],
            "assessed_on": today,
        },
    )
    Escalation.objects.create(mentorship=pair, episode=1, step=Step.NUDGE)
    if closure:
        Escalation.objects.create(
            mentorship=pair, episode=1, step=Step.CLOSURE, due_on=today + dt.timedelta(days=7)
        )


def test_an_open_pulse_is_on_the_home_page_until_it_is_answered(
    client: Client, pair: Any, clock: time_machine.Traveller
) -> None:
    mentor, mentee = people(pair)
    clock.shift(dt.timedelta(days=14))
    pulse.plan(now=timezone.now())
    page = _home(client, mentee)
    assert PULSE in page
    assert f'href="/mentorships/{pair.public_id}/#pulse-card"' in page
    pulse.pulse_answer(pulse=Pulse.objects.get(user=mentee), user=mentee, rating=4)
    assert PULSE not in _home(client, mentee)
    assert PULSE in _home(client, mentor)  # theirs is still open


def test_a_request_to_observe_waits_for_each_members_answer(
    client: Client, pair: Any, clock: time_machine.Traveller
) -> None:
    mentor, mentee = people(pair)  # London, Kathmandu
    manager = UserFactory(name="Mo Manager")
    pair.program.managers.add(manager)
    meeting = meeting_booked(pair, dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC))
    request = observe.observation_ask(meeting=meeting, manager=manager, why="Coaching our mentors")
    anchor = f'href="/mentorships/{pair.public_id}/#observe-{meeting.public_id}"'
    page = _home(client, mentee)
    assert "Mo Manager asks to observe your session of Tue 10 Mar, 14:45 (Asia/Kathmandu" in page
    assert anchor in page
    assert "Tue 10 Mar, 09:00 (Europe/London" in _home(client, mentor)
    observe.observation_answer(request=request, user=mentee, consents=True)
    assert anchor not in _home(client, mentee)
    assert anchor in _home(client, mentor)


def test_a_standing_nudge_is_worded_for_the_reader_and_a_proposed_closure_says_its_day(
    client: Client, pair: Any
) -> None:
    mentor, mentee = people(pair)
    _nudged(pair, ["contact_gap"])
    page = _home(client, mentee)
    assert "You haven't had your first meeting yet: your mentorship started on 2 March." in page
    assert f'{reverse("scheduling:schedule", args=[pair.public_id])}">Find a time</a>' in page
    assert "rated the relationship" not in page
    Pause.objects.create(mentorship=pair, starts_on=timezone.localdate(), ends_on=timezone.localdate())
    assert "first meeting yet" not in _home(client, mentee)  # not while they are on a pause
    Pause.objects.all().delete()
    Escalation.objects.create(mentorship=pair, episode=1, step=Step.CLOSURE, due_on=dt.date(2026, 3, 9))
    page = _home(client, mentor)
    assert (
        "Your program will close this mentorship on Monday 9 March unless you tell it it's still going."
        in page
    )
    assert f'href="/mentorships/{pair.public_id}/#pause-section"' in page
    assert "first meeting yet" not in page  # the proposed closure says it all


@pytest.mark.parametrize("secret", ["low_pulse", "continue_no", "report_unresponsive", "request_end"])
def test_no_nudge_on_the_home_page_while_a_confidential_sign_stands(
    client: Client, pair: Any, secret: str
) -> None:
    _mentor, mentee = people(pair)
    _nudged(pair, ["contact_gap", secret])
    page = _home(client, mentee)
    assert "Your program asks" not in page
    assert "rated the relationship" not in page


@pytest.mark.parametrize("pairs", [1, 3])
def test_the_home_page_reads_the_to_dos_in_a_fixed_number_of_queries(
    client: Client, clock: time_machine.Traveller, django_assert_num_queries: Any, pairs: int
) -> None:
    mentee = UserFactory()
    manager = UserFactory()
    nudged = []
    for _ in range(pairs):
        pair = mentoring_pair(mentee=mentee)
        pair.program.managers.add(manager)
        _nudged(pair, ["contact_gap"], closure=True)
        _nudged(mentoring_pair(mentee=mentee), ["falling_frequency"])
        nudged.append(pair)
    clock.shift(dt.timedelta(days=14))
    pulse.plan(now=timezone.now())
    for pair in nudged:
        meeting = meeting_booked(pair, timezone.now() + dt.timedelta(days=3))
        observe.observation_ask(meeting=meeting, manager=manager, why="To learn")
    client.force_login(mentee)
    # the home page's 12 (meridian/programs/tests/test_query_counts.py) + the program's asks: open
    # pulses, requests to observe, nudges and proposed closures with the pairs' health, the nudged
    # pairs' facts
    with django_assert_num_queries(16):
        page = client.get(reverse("home")).content.decode()
    assert page.count('class="todo-pulse"') == 2 * pairs
    assert page.count('class="todo-observe"') == pairs
    assert page.count('class="todo-closure"') == pairs
    assert page.count('class="todo-nudge"') == pairs
