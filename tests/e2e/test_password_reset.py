"""Forgotten password: ask for a reset, follow the emailed link, choose a new password,
sign in with it (and no longer with the old one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.support import check, link_in_mail, person, sign_in, visit
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Quartz-harbour-92"


def test_it_resets_a_forgotten_password_by_email(page, base, smtp_server):
    rosa = person(name="Rosa Reset", email="rosa@example.org")

    visit(page, f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    check(page)
    page.get_by_label("Email:", exact=True).fill("rosa@example.org")
    page.get_by_role("button", name="Reset my password").click()
    expect(page).to_have_url(f"{base}/accounts/password/reset/done/")
    check(page)

    link = link_in_mail(smtp_server, "rosa@example.org", "/accounts/password/reset/key/")
    assert link.startswith(base), link
    visit(page, link)  # allauth moves the key out of the address, then shows the form
    page.get_by_label("New password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password (again):", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # signed in by the reset
    check(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    check(page)
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(rosa.email)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    check(page)

    sign_in(page, base, rosa.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa")
