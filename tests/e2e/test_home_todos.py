"""The program's asks on a participant's home page in a real browser (htmx, strict CSP),
axe-checked: on a phone the mentee finds their open pulse, a request to observe a session
and a nudge to meet on their mentorship's card, follows each link to where it is answered
and sees the answered ones leave the list; at 1280 px the mentor's card shows a proposed
closure with its day and the way to say it is still going."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.engagement import observe, pulse
from meridian.engagement.models import Escalation, Health, Step
from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import UserFactory, meeting_booked, mentoring_pair, people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PULSE = "Answer this month's 3-question check"


def test_a_mentee_follows_the_programs_asks_from_home_on_a_phone(
    page: Page, new_context: Any, base: str
) -> None:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "America/New_York"},
    )
    mentorship.started_on = timezone.localdate() - dt.timedelta(days=14)
    mentorship.save(update_fields=["started_on"])
    pulse.plan(now=timezone.now())
    mentor, mentee = people(mentorship)
    manager = UserFactory(name="Mo Manager")
    mentorship.program.managers.add(manager)
    meeting = meeting_booked(mentorship, (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0))
    observe.observation_ask(meeting=meeting, manager=manager, why="To learn how pairs plan")
    today = timezone.localdate()
    Health.objects.create(
        mentorship=mentorship,
        band="check_in",
        band_since=today,
        signals=["no_first_meeting"],
        reasons=["No first meeting yet, 2 weeks after the start."],
        assessed_on=today,
    )
    Escalation.objects.create(mentorship=mentorship, episode=1, step=Step.NUDGE)

    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/")
    asks = page.locator(".program-todos")
    expect(asks).to_contain_text(PULSE)
    expect(asks).to_contain_text("Mo Manager asks to observe your session of")
    expect(asks).to_contain_text("(America/New York)")
    expect(asks).to_contain_text("You haven't had your first meeting yet")
    check(page)

    asks.get_by_role("link", name=PULSE).click()
    expect(page).to_have_url(f"{base}/mentorships/{mentorship.public_id}/#pulse-card")
    card = page.locator("#pulse-card")
    card.get_by_label("4: well", exact=True).check()
    card.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#pulse-saved")).to_contain_text("your answers are saved")

    visit(page, f"{base}/")
    expect(page.locator(".program-todos")).not_to_contain_text(PULSE)
    page.locator(".todo-observe").get_by_role("link", name="Answer").click()
    expect(page).to_have_url(f"{base}/mentorships/{mentorship.public_id}/#observe-{meeting.public_id}")
    page.locator(f"#observe-{meeting.public_id}").get_by_role("button", name="Yes, they may observe").click()
    expect(page.locator(f"#observe-{meeting.public_id}")).not_to_contain_text("Yes, they may observe")

    visit(page, f"{base}/")
    expect(page.locator(".todo-observe")).to_have_count(0)
    page.locator(".todo-nudge").get_by_role("link", name="Find a time").click()
    expect(page).to_have_url(f"{base}/mentorships/{mentorship.public_id}/meetings/")
    check(page)

    Escalation.objects.create(
        mentorship=mentorship, episode=1, step=Step.CLOSURE, due_on=today + dt.timedelta(days=7)
    )
    desk = new_context(viewport=DESKTOP).new_page()
    sign_in_by_cookie(desk.context, base, mentor)
    visit(desk, f"{base}/")
    closure = desk.locator(".todo-closure")
    expect(closure).to_contain_text("Your program will close this mentorship on")
    expect(desk.locator(".todo-nudge")).to_have_count(0)
    check(desk)
    closure.get_by_role("link", name="It is still going").click()
    desk.locator("#pause-section").get_by_role("button", name="It is still going").click()
    expect(desk.locator("#pause-section")).to_contain_text("stays open")
