"""Closing early and re-matching in a real browser (htmx, strict CSP, axe): on a phone the
mentee closes their mentorship from its page with a reflection (a missing answer refused
beside its field first) and asks for a new mentor; at 1280 px the manager opens the request
from their home, sees the mentee's ranked, explained alternatives without the former
mentor and confirms one with one click; the mentee's home shows the new mentorship. The
former mentor, told on their home, adds their own reflection (htmx, 1280 px)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from meridian.matching.tests.test_selfselect import friendly_cohort, mentee_in
from meridian.mentorships.services import start
from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_mentee_closes_early_and_the_manager_confirms_a_new_mentor(
    page: Page, new_context: Any, base: str
) -> None:
    manager = UserFactory(name="Mia Manager")
    cohort = friendly_cohort(mentees=3, mentors=4, capacity=1, matching_mode="manager")
    cohort.program.managers.add(manager)
    mentee = mentee_in(cohort)
    former = cohort.enrollments.filter(role="mentor").order_by("pk").first()
    pair = start(mentor=former, mentees=[mentee]).mentorship

    # ---- the mentee, on a phone
    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee.user)
    visit(page, f"{base}/mentorships/{pair.public_id}/")
    page.locator("#closing-section").get_by_role("link", name="Close the mentorship").click()
    expect(page.get_by_role("heading", name="Close the mentorship", level=1)).to_be_visible()
    check(page)
    page.get_by_label("It ends early").check()
    page.get_by_label("Why does it end?").select_option(label="Not a good fit")
    page.get_by_label("Maybe").check()
    page.get_by_label("I would like to be matched with another mentor").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the mentorship").click()
    expect(page.locator("#id_achieved_error")).to_contain_text("This field is required.")
    check(page)
    page.get_by_label("What was achieved?").fill("Clearer goals <b>for the year</b>")
    page.get_by_label("What next?").fill("Find someone closer to my field")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the mentorship").click()
    expect(page.get_by_role("heading", name="The mentorship has closed")).to_be_visible()
    section = page.locator("#closing-section")
    expect(section).to_contain_text("Clearer goals <b>for the year</b>")  # shown as text, inert
    expect(section).to_contain_text("by the mentee")
    expect(section).to_contain_text("The mentee asked to be matched again")
    check(page)

    # ---- the former mentor, at 1280 px: told on their home, adds their own reflection
    mentor_page = new_context().new_page()
    mentor_page.set_viewport_size(DESKTOP)
    sign_in_by_cookie(mentor_page.context, base, former.user)
    visit(mentor_page, f"{base}/")
    expect(mentor_page.locator(".closed-notices")).to_contain_text(
        f"{mentee.user.name} closed your mentorship"
    )
    mentor_page.get_by_role("link", name="Add your reflection").click()
    section = mentor_page.locator("#closing-section")
    expect(section).to_contain_text("Clearer goals <b>for the year</b>")
    section.get_by_text("Add your reflection").click()
    section.get_by_label("What was achieved?").fill("A plan for the year")
    section.get_by_label("Yes").check()
    section.get_by_role("button", name="Save my reflection").click()
    expect(mentor_page.locator("#messages")).to_contain_text("Your reflection is saved.")
    expect(section.locator("article.reflection")).to_have_count(2)
    check(mentor_page)

    # ---- the manager, at 1280 px
    manager_page = new_context().new_page()
    manager_page.set_viewport_size(DESKTOP)
    sign_in_by_cookie(manager_page.context, base, manager)
    visit(manager_page, f"{base}/")
    manager_page.get_by_role("link", name="1 mentee asks to be matched again").click()
    heading = f"A new mentor for {mentee.user.name}"
    expect(manager_page.get_by_role("heading", name=heading)).to_be_visible()
    table = manager_page.locator("table")
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(table).not_to_contain_text(former.user.name)
    expect(manager_page.locator(".lead")).to_contain_text("Not a good fit")
    check(manager_page)
    chosen = table.locator("tbody tr").first.locator("strong").inner_text()
    table.locator("tbody tr").first.get_by_role("button", name="Confirm").click()
    expect(manager_page.locator("#messages")).to_contain_text(f"{mentee.user.name} and {chosen} are matched")
    check(manager_page)

    # ---- the mentee's home shows the new mentorship
    visit(page, f"{base}/")
    expect(page.locator(".mentorship-card")).to_contain_text(chosen)
    expect(page.locator(".mentorship-card")).not_to_contain_text(former.user.name)
