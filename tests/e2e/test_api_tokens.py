"""A person makes an API token on their own page, copies it, uses it from a program (a
Playwright request context without the browser's cookies), revokes it, and sees the API
refuse it (security finding 9)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.api.models import ApiToken
from tests.e2e.support import check, person, sign_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_makes_uses_and_revokes_a_token(page, playwright, base):
    tomas = person(name="Tomas Token", email="tomas@example.org")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    sign_in(page, base, tomas.email)
    visit(page, f"{base}/profile/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    check(page)

    page.get_by_label("Name:", exact=True).fill("Reporting script")
    page.get_by_label("Expires after:", exact=True).select_option("30")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Your new token “Reporting script”")).to_be_visible()
    check(page)
    shown = page.get_by_label("Token", exact=True).input_value()
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    key = page.evaluate("navigator.clipboard.readText()")
    assert key == shown
    assert key.startswith("mrd_")
    assert key not in str(list(ApiToken.objects.values_list()))  # only its hash is kept
    row = page.get_by_role("row").filter(has_text="Reporting script")
    expect(row).to_contain_text(key[:12])
    expect(row).to_contain_text("Never")

    program = playwright.request.new_context(base_url=base)  # no cookies: the token alone
    try:
        for scheme in ("Bearer", "Token"):
            answer = program.get("/api/v1/me/", headers={"Authorization": f"{scheme} {key}"})
            assert answer.status == 200, answer.text()
            assert answer.json()["email"] == "tomas@example.org"

        visit(page, f"{base}/account/tokens/")  # the key is not shown again; its use is
        assert key not in page.content()
        expect(row).not_to_contain_text("Never")
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Revoke Reporting script").click()
        expect(page.get_by_text("The token is revoked")).to_be_visible()
        expect(page.get_by_text("You have no API tokens.")).to_be_visible()
        check(page)

        answer = program.get("/api/v1/me/", headers={"Authorization": f"Bearer {key}"})
        assert answer.status == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.json()["error"]["code"] == "authentication_failed"
    finally:
        program.dispose()
