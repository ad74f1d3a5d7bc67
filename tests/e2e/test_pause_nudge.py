"""A pause and the ladder in a real browser (htmx, strict CSP), axe-checked: at 390 px a
mentee who was nudged reads the gap on the pair's page, declares a pause (a bad date
refused beside its field first); at 1280 px the program's manager sees the pause on the
pair's overview and sets the program's escalation ladder; the mentee ends the pause early."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.engagement.models import Escalation, Health, LadderSettings, Pause, Step
from tests.e2e.support import DESKTOP, PHONE, check, in_view, sign_in_by_cookie, visit
from tests.factories import UserFactory, mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
GAP = "No meeting for 5 weeks; they agreed every 2 weeks."  # the manager's reason
FIRST = "You haven't had your first meeting yet"  # the pair's own words


def test_a_nudged_mentee_pauses_on_a_phone_and_ends_the_pause_early(
    page: Page, new_context: Any, base: str
) -> None:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "America/New_York"},
    )
    mentee = mentorship.members.get(role="mentee").user
    manager = UserFactory(name="Mo Manager")
    mentorship.program.managers.add(manager)
    today = timezone.localdate(timezone=dt.timezone(dt.timedelta(hours=-5)))
    Health.objects.create(
        mentorship=mentorship,
        band="check_in",
        band_since=today,
        reasons=[GAP],
        signals=["contact_gap"],
        assessed_on=today,
    )
    Escalation.objects.create(mentorship=mentorship, episode=1, step=Step.NUDGE)

    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    card = page.locator("#pause-section")
    expect(card.locator("#nudge-notice")).to_contain_text(FIRST)
    expect(card.locator("#nudge-notice")).not_to_contain_text(GAP)
    card.get_by_text("Declare a pause").click()
    page.get_by_label("From:", exact=True).fill(today.isoformat())
    page.get_by_label("Until (included):", exact=True).fill((today - dt.timedelta(days=1)).isoformat())
    save = card.get_by_role("button", name="Pause", exact=True)
    in_view(page, save)
    save.click()
    expect(page.locator("#id_ends_on_error")).to_contain_text("end after it starts")
    check(page)
    until = today + dt.timedelta(days=14)
    page.get_by_label("Until (included):", exact=True).fill(until.isoformat())
    page.get_by_label("Why (optional):", exact=True).fill("Holiday")
    page.locator("#pause-section").get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#pause-section .pauses")).to_contain_text("Paused until")
    expect(page.locator("#messages")).to_contain_text("your partner and the program team see it")
    check(page)
    assert Pause.objects.filter(mentorship=mentorship, ends_on=until, reason="Holiday").exists()

    desk = new_context(viewport=DESKTOP).new_page()
    sign_in_by_cookie(desk.context, base, manager)
    visit(desk, f"{base}/mentorships/{mentorship.public_id}/")
    expect(desk.locator("#pause-section")).to_contain_text("“Holiday”")
    expect(desk.locator("#pause-section").get_by_role("button")).to_have_count(0)  # the pair's to end
    visit(desk, f"{base}/programs/{mentorship.program.public_id}/")
    desk.get_by_role("link", name="Escalation ladder").click()
    expect(desk.get_by_role("heading", name="Escalation ladder")).to_be_visible()
    desk.get_by_label("Propose closing after no contact for (days):").fill("10")
    desk.get_by_role("button", name="Save the ladder").click()
    expect(desk.locator("#id_closure_after_days_error")).to_contain_text("greater than or equal to 30")
    check(desk)
    desk.get_by_label("Propose closing after no contact for (days):").fill("120")
    desk.get_by_role("button", name="Save the ladder").click()
    expect(desk.locator("#messages")).to_contain_text("The ladder is saved")
    check(desk)
    assert LadderSettings.objects.get(program=mentorship.program).closure_after_days == 120

    page.locator("#pause-section").get_by_role("button", name="End the pause now").click()
    expect(page.locator("#pause-section")).to_contain_text("No pause declared.")
    expect(page.locator("#messages")).to_contain_text("welcome back")
    check(page)
    assert not Pause.objects.filter(mentorship=mentorship, ends_on__gte=today).exists()
