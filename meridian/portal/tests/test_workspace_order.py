"""The workspace leads with the agreement until everyone has accepted it, then with the
next meeting; an ended mentorship offers no scheduling, check-in or report, and says what
it was instead."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from meridian.mentorships import closing
from meridian.mentorships.agreement import agreement_accept, agreement_propose
from tests.factories import people
from tests.pair_matrix import api_terms

pytestmark = pytest.mark.django_db


def page(client: Any, user: Any, mentorship: Any) -> str:
    client.force_login(user)
    answer = client.get(reverse("portal:workspace", args=[mentorship.public_id]))
    assert answer.status_code == 200
    return " ".join(answer.content.decode().split())


def before(seen: str, first: str, second: str) -> bool:
    return seen.index(first) < seen.index(second)


def test_with_no_agreement_the_agreement_leads_the_page(client, pair):
    _mentor, mentee = people(pair)
    seen = page(client, mentee, pair)
    assert before(seen, 'id="agreement-section"', 'id="next-meeting"')
    assert 'class="button"> Propose how you will work' in seen
    assert seen.count('id="agreement-section"') == 1


def test_while_a_partner_has_not_accepted_the_agreement_still_leads(client, pair):
    mentor, mentee = people(pair)
    agreement_propose(mentorship=pair, user=mentor, terms=api_terms(SimpleNamespace()))
    seen = page(client, mentee, pair)
    assert before(seen, 'id="agreement-section"', 'id="next-meeting"')
    assert "Read and accept the agreement" in seen


def test_once_agreed_the_next_meeting_leads_and_the_agreement_follows(client, pair):
    mentor, mentee = people(pair)
    agreement_propose(mentorship=pair, user=mentor, terms=api_terms(SimpleNamespace()))
    agreement_accept(mentorship=pair, user=mentee, number=1)
    seen = page(client, mentee, pair)
    assert before(seen, 'id="next-meeting"', 'id="agreement-section"')
    assert before(seen, 'id="checkin-section"', 'id="agreement-section"')
    assert seen.count('id="agreement-section"') == 1


def test_an_ended_mentorship_offers_no_scheduling_check_in_or_report(client, pair):
    mentor, mentee = people(pair)
    closing.mentorship_close(
        mentorship=pair,
        user=mentor,
        outcome="ended",
        reason="schedules",
        thoughts=closing.Thoughts(achieved="a", recommend="yes"),
    )
    pair.refresh_from_db()
    seen = page(client, mentee, pair)
    assert "Find a time that suits everyone" not in seen
    assert "No meeting is scheduled yet." not in seen
    assert f"This mentorship ended on {pair.ended_on:%-d %b %Y}: no more meetings are planned." in seen
    assert "Its past meetings" in seen
    assert "No action items were left open." in seen
    assert 'id="checkin-send"' not in seen
    assert 'id="report-send"' not in seen
    assert before(seen, 'id="next-meeting"', 'id="agreement-section"')  # nothing left to agree
