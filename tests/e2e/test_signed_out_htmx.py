"""A person whose session ended while a page was open sends a message: htmx loads the
sign-in page as a whole page (HX-Redirect, back to where they were), never swaps it into
the form."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.e2e.support import PHONE, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_signed_out_message_post_loads_the_sign_in_page(page: Page, base: str) -> None:
    mentorship = mentoring_pair()
    mentee = mentorship.members.get(role="mentee").user
    path = f"/mentorships/{mentorship.public_id}/messages/"
    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}{path}")
    kept = [c for c in page.context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(kept)  # type: ignore[arg-type]  # the session is gone, the CSRF cookie stays
    page.get_by_label("Your message").fill("Are you there?")
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(f"{base}/accounts/login/?next={quote(path, safe='')}")
    expect(page.locator("#composer")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
