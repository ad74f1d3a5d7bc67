"""The pulse in a real browser (htmx, strict CSP): at day 14 the mentee finds the pulse card
on the mentorship's page, is told beside the form when nothing is picked, answers the three
questions with a few taps, reads what happens after "I don't want to continue" and follows
the link to the closing page; the mentor's own card shows none of those answers.
axe-checked, at 390 px: a phone is where people answer it (the same card at 1280 px took
another 4-6 s, over this issue's budget for a second viewport)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.engagement import pulse
from meridian.engagement.models import Pulse
from tests.e2e.support import PHONE, check, in_view, sign_in_by_cookie, visit
from tests.factories import mentoring_pair, people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_mentee_answers_the_pulse_on_a_phone(page: Page, new_context: Any, base: str) -> None:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "America/New_York"},
    )
    mentorship.started_on = timezone.localdate() - dt.timedelta(days=14)
    mentorship.save(update_fields=["started_on"])
    assert pulse.plan(now=timezone.now())["pulses"] == 2
    mentor, mentee = people(mentorship)

    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    card = page.locator("#pulse-card")
    expect(card).to_contain_text("your time (America/New York)")
    in_view(page, card.get_by_role("button", name="Send my answers"))
    card.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#pulse-card .errors-summary")).to_contain_text("Pick at least one answer.")

    card = page.locator("#pulse-card")
    card.get_by_label("4: well", exact=True).check()
    card.get_by_label("Partly", exact=True).check()
    card.get_by_label("I don't want to continue", exact=True).check()
    card.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#pulse-saved")).to_contain_text("your answers are saved")
    expect(page.locator("#pulse-next")).to_contain_text("nothing ends automatically")
    expect(page.locator("#pulse-card").get_by_label("4: well", exact=True)).to_be_checked()
    check(page)
    mine = Pulse.objects.get(user=mentee)
    assert (mine.rating, mine.met, mine.wants_continue) == (4, "partly", "no")

    page.locator("#pulse-next").get_by_role("link", name="Close the mentorship").click()
    expect(page).to_have_url(f"{base}/mentorships/{mentorship.public_id}/close/")

    partner = new_context(viewport=PHONE).new_page()
    sign_in_by_cookie(partner.context, base, mentor)
    visit(partner, f"{base}/mentorships/{mentorship.public_id}/")
    theirs = partner.locator("#pulse-card")
    expect(theirs).to_contain_text("your time (Europe/London)")
    expect(theirs.get_by_label("4: well", exact=True)).not_to_be_checked()
    expect(partner.locator("#pulse-next")).to_have_count(0)
