"""A one-click answer from an email, in a real browser (strict CSP): the link opens a page
whose script sends the answer at once, so the person clicks once; opening the link again
shows that it was used. A scanner that only fetches the link sends nothing (the test client
tests in meridian/engagement/tests/test_links.py show that)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.engagement import links, pulse
from meridian.engagement.models import Pulse
from tests.e2e.support import PHONE, check
from tests.factories import mentoring_pair, people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_pulse_answer_from_the_email_takes_one_click(page: Page, base: str) -> None:
    mentorship = mentoring_pair()
    mentorship.started_on = timezone.localdate() - dt.timedelta(days=14)
    mentorship.save(update_fields=["started_on"])
    pulse.plan(now=timezone.now())
    _mentor, mentee = people(mentorship)
    mine = Pulse.objects.get(user=mentee)
    url = links.link(mentee, "pulse", mine.public_id, "rating:5")
    path = url.split("://", 1)[1].split("/", 1)[1]

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/{path}")  # as from the email: not signed in
    expect(page.locator("h1")).not_to_contain_text("Sending")  # the script sent it
    check(page)
    mine.refresh_from_db()
    assert mine.rating == 5

    again = page.goto(f"{base}/{path}")
    assert again is not None
    assert again.status == 410
    expect(page.locator("h1")).to_have_text("This link does not work")
