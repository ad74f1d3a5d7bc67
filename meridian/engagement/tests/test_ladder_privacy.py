"""What the pair reads from the ladder never gives away what one side told the program in
confidence: the nudge names a gap in words addressed to the reader, from the pair's own
facts; a pair showing a confidential sign (a pulse answer, a report, a wish to end) or one
side going quiet is not nudged at all, and the managers are alerted instead."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
import time_machine
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from meridian.core.models import OutboundEmail
from meridian.engagement import notices, pair_words, pulse
from meridian.engagement import sweep as sweeping
from meridian.engagement.health_reasons import reason_text
from meridian.engagement.health_signals import SIGNALS, Finding
from meridian.engagement.ladder import advance
from meridian.engagement.models import Escalation, Health, Notice, Pulse, Step
from meridian.scheduling.services import meeting_record_outcome
from tests.factories import UserFactory, meeting_booked, people

pytestmark = pytest.mark.django_db
LEA_AND_PEDRO = pytest.mark.pair(
    mentor={"name": "Pedro Alves", "email": "pedro@example.org"},
    mentee={"name": "Lea Weber", "email": "lea@example.org"},
)
PAIR_KINDS = ("nudge", "last_nudge", "closure", "closed")  # what the ladder tells the pair


def _finding(code: Any) -> Finding:
    """A finding for ``code`` with every fact its manager's sentence names."""
    return Finding(
        code,
        penalty=50,
        hard=code in pair_words.CONFIDENTIAL,
        who="mentee",
        on=dt.date(2026, 2, 20),
        days=35,
        count=3,
        of=4,
        detail="cancelled",
        cadence_days=14,
        sides=(0, 3),
    )


SENTENCES: dict[str, str] = {code: reason_text(_finding(code)) for code in SIGNALS}  # the manager's reasons


def _seen_by_the_pair(pair: Any, *, pages: bool = True) -> dict[str, str]:
    """Everything the pair was told: each participant notice's email (subject, text, HTML)
    and digest line, and the pair's page as each member sees it, unescaped."""
    mentor, mentee = people(pair)
    seen: dict[str, str] = {}
    for notice in Notice.objects.filter(user__in=(mentor, mentee)).select_related("user"):
        with TestCase.captureOnCommitCallbacks(execute=False):
            notices.send(notice)
        email = OutboundEmail.objects.get(key__endswith=notice.key)
        parts = [email.subject, email.body, *(content for content, _mime in email.alternatives), notice.line]
        seen[f"{notice.kind} to {notice.user.name}"] = html.unescape("\n".join(parts))
    client = Client()
    for person in (mentor, mentee) if pages else ():
        client.force_login(person)
        page = client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode()
        seen[f"page of {person.name}"] = html.unescape(page)
    return seen


def _leaks(seen: dict[str, str]) -> list[tuple[str, str]]:
    return [(where, code) for where, text in seen.items() for code, s in SENTENCES.items() if s in text]


@LEA_AND_PEDRO
def test_lea_answers_the_pulse_low_and_pedro_is_told_nothing_of_it(
    pair: Any, clock: time_machine.Traveller, smtp_server: Any
) -> None:
    pedro, lea = people(pair)
    manager = UserFactory(name="Mo Manager", email="mo@example.org")
    pair.program.managers.add(manager)
    start = timezone.now()
    clock.move_to(start + dt.timedelta(days=14))
    pulse.plan(now=timezone.now())
    asked = Pulse.objects.get(mentorship=pair, user=lea)
    pulse.pulse_answer(pulse=asked, user=lea, rating=1, met="no", wants_continue="no")
    clock.move_to(start + dt.timedelta(days=15))
    sweeping.sweep(timezone.localdate())
    health = Health.objects.get(mentorship=pair)
    assert health.band == "at_risk"
    assert {"low_pulse", "continue_no"} <= set(health.signals)
    with TestCase.captureOnCommitCallbacks(execute=True):
        notices.deliver_due(now=timezone.now())
    told = {m["To"]: m for m in smtp_server.messages()}
    # the manager is alerted with the reasons, word for word
    alert = told[manager.email].get_body(("plain",)).get_content()
    assert "said on 16 March they do not want to continue" in alert or "rated the relationship 1" in alert
    # Pedro gets no "time to meet" nudge, and nothing he reads names Lea's answers
    assert not Escalation.objects.filter(mentorship=pair, step__in=(Step.NUDGE, Step.LAST_NUDGE)).exists()
    assert pedro.email not in told or "Time to meet" not in told[pedro.email]["Subject"]
    client = Client()
    client.force_login(pedro)
    page = html.unescape(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode())
    assert 'id="nudge-notice"' not in page
    for words in ("rated the relationship", "do not want to continue", health.reasons[0]):
        assert words not in page
        assert all(words not in str(m) for m in smtp_server.messages() if m["To"] == pedro.email)


@pytest.mark.parametrize(
    "signals",
    [[code] for code in SIGNALS]
    + [["contact_gap", secret] for secret in pair_words.CONFIDENTIAL]
    + [["unanswered", "contact_gap"], ["contact_gap", "one_sided", "no_goals"]],
    ids=lambda signals: "+".join(signals),
)
def test_no_participant_text_ever_carries_a_managers_reason(
    pair: Any, clock: time_machine.Traveller, signals: list[str]
) -> None:
    """Every ladder notice a participant gets (nudge, last nudge, proposed closure, closed)
    and the card on the pair's page, for every signal: no manager's sentence, and a nudge
    only when a gap leads and nothing confidential stands."""
    clock.shift(dt.timedelta(days=30))
    Health.objects.create(
        mentorship=pair,
        band="at_risk",
        band_since=timezone.localdate(),
        score=20,
        signals=signals,
        reasons=[SENTENCES[code] for code in signals],
        assessed_on=timezone.localdate(),
    )
    advance(today=timezone.localdate())
    seen_first = _seen_by_the_pair(pair)  # the nudge stands on the page now
    seen = dict(seen_first)
    # the last nudge a week later; quiet for 91 days, the closure proposed; then closed after notice
    for days in (7, 54, 8):  # the pages again while the proposed closure stands
        clock.shift(dt.timedelta(days=days))
        advance(today=timezone.localdate())
        seen.update({f"{where} +{days}": t for where, t in _seen_by_the_pair(pair, pages=days == 54).items()})
    assert _leaks(seen) == []
    kinds = set(Notice.objects.filter(user__in=people(pair)).values_list("kind", flat=True))
    nudged = pair_words.leading_gap(signals) is not None
    assert nudged is (signals[0] in pair_words.GAPS and not set(signals) & set(pair_words.CONFIDENTIAL))
    assert kinds == set(PAIR_KINDS if nudged else ("closure", "closed"))
    assert (
        any("nudge-notice" in text for where, text in seen_first.items() if where.startswith("page"))
        is nudged
    )


@pytest.mark.parametrize(
    ("signal", "words"),
    [
        ("contact_gap", "It's been 5 weeks since you last met; you agreed to meet every 2 weeks."),
        (
            "falling_frequency",
            "Your meetings have been further apart lately; you agreed to meet every 2 weeks.",
        ),
        (
            "cancellations",
            "Several of your recent meetings did not take place; you agreed to meet every 2 weeks.",
        ),
        ("no_first_meeting", "You haven't had your first meeting yet: your mentorship started on 2 March."),
    ],
)
def test_the_gap_is_worded_for_the_reader_from_the_pairs_own_calendar(
    pair: Any, clock: time_machine.Traveller, signal: str, words: str
) -> None:
    mentor, _mentee = people(pair)
    met = timezone.now() + dt.timedelta(days=1)
    meeting = meeting_booked(pair, met)
    clock.move_to(met + dt.timedelta(hours=2))
    meeting_record_outcome(meeting=meeting, user=mentor, outcome="held")
    today = (met + dt.timedelta(days=35)).date()
    facts = pair_words.pair_facts([pair.pk])[pair.pk]
    assert (facts.started_on, facts.every_weeks, facts.last_met) == (pair.started_on, 2, met)
    assert pair_words.gap_words(signal, facts, today) == words
    never_met = pair_words.PairFacts(started_on=pair.started_on, every_weeks=1, last_met=None)
    assert pair_words.gap_words("contact_gap", never_met, today).startswith("You haven't had")


def test_a_sign_not_classed_as_safe_for_the_pair_withholds_the_nudge() -> None:
    assert pair_words.leading_gap(["contact_gap", "one_sided", "no_goals"]) == "contact_gap"
    assert pair_words.leading_gap(["no_goals", "falling_frequency"]) == "falling_frequency"
    assert pair_words.leading_gap(["contact_gap", "a_sign_added_later"]) is None
    assert pair_words.leading_gap(["unanswered", "contact_gap"]) is None
    assert pair_words.leading_gap([]) is None
