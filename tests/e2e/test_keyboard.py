"""Sign in and apply to a cohort by keyboard alone: Tab, Shift+Tab, Enter, Space and
typing; no clicks, no ``fill``. Every stop must show where the focus is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.programs.models import Enrollment
from tests.e2e.support import check, person, tab_to, visit
from tests.factories import PASSWORD, CohortFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_lets_a_keyboard_user_sign_in_and_apply(page, base):
    cohort = CohortFactory(name="Keyboard Cohort", status="open")
    kim = person(name="Kim Keys")
    keys = page.keyboard

    visit(page, f"{base}/accounts/login/")
    tab_to(page, page.get_by_role("link", name="Skip to content"))
    tab_to(page, page.get_by_label("Email:", exact=True))
    keys.type(kim.email)
    tab_to(page, page.get_by_label("Password:", exact=True))
    keys.type("not my password")
    tab_to(page, page.get_by_label("Email:", exact=True), backwards=True)  # back up, fix it
    tab_to(page, page.get_by_label("Password:", exact=True))
    keys.press("Control+a")
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Kim")
    check(page)

    tab_to(page, page.get_by_role("link", name="Apply Keyboard Cohort"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to Keyboard Cohort")
    check(page)
    mentor = page.get_by_label("Mentor", exact=True)  # a radio group is one Tab stop
    tab_to(page, mentor)
    keys.press("Space")
    expect(mentor).to_be_checked()
    tab_to(page, page.get_by_label("How many mentees can you take?"))
    keys.press("Control+a")
    keys.type("3")
    tab_to(page, page.get_by_label("What do you hope to get from it?"))
    keys.type("To share what I learnt the hard way.")
    tab_to(page, page.get_by_role("button", name="Send application"))
    keys.press("Enter")

    expect(page.get_by_text("Application sent.")).to_be_visible()
    expect(page.locator("#mine-h + p .badge")).to_have_text("Applied")
    check(page)
    enrollment = Enrollment.objects.get(user=kim, cohort=cohort)
    assert (enrollment.role, enrollment.capacity) == ("mentor", 3)
    assert enrollment.motivation == "To share what I learnt the hard way."
