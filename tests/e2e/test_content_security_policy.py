"""The browser enforces the Content Security Policy, and the e2e guard (conftest's
``new_context``) sees every violation, so a page that needs an inline script or style
fails its test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import sign_in_by_cookie, visit
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_guard_catches_an_inline_script_and_style(page: Page, base: str, csp_violations: list[str]):
    sign_in_by_cookie(page.context, base, UserFactory())
    visit(page, f"{base}/programs/")
    assert csp_violations == []
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
        const box = document.createElement("div");
        box.setAttribute("style", "color: red");
        document.body.append(box);
    }"""
    )
    page.evaluate("0")  # the report travels back through a binding
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.__ran === undefined")  # the browser refused to run it
    blocked = [v for v in csp_violations if not v.startswith("console:")]
    assert any(v.startswith("script-src-elem blocked inline") for v in blocked), csp_violations
    assert any(v.startswith("style-src-attr blocked inline") for v in blocked), csp_violations
    csp_violations.clear()  # seen: this test's own violations are the point


def test_an_htmx_swap_keeps_to_the_policy(page: Page, base: str):
    """htmx is loaded and configured to add no inline style and evaluate nothing."""
    sign_in_by_cookie(page.context, base, UserFactory())
    visit(page, f"{base}/programs/")
    config = page.evaluate(
        "({indicator: htmx.config.includeIndicatorStyles, evaluate: htmx.config.allowEval})"
    )
    assert config == {"indicator": False, "evaluate": False}
    assert page.locator("style").count() == 0


def test_the_django_admin_works_under_the_policy(page: Page, base: str, settings):
    """The admin's own scripts (prepopulated slug, the two-list managers picker, the date
    shortcuts) run under the policy, with no violation."""
    settings.MFA_REQUIRED_FOR_STAFF = False  # the admin pages here, not the two-factor gate
    UserFactory(name="Ada Manager")
    sign_in_by_cookie(page.context, base, UserFactory(is_staff=True, is_superuser=True))
    for url in ("/django-admin/", "/django-admin/accounts/user/", "/django-admin/programs/program/"):
        response = page.goto(f"{base}{url}")
        assert response is not None, url
        assert response.status == 200, url
    page.goto(f"{base}/django-admin/programs/program/add/")
    page.locator("#id_name").press_sequentially("Grow Together")
    expect(page.locator("#id_slug")).to_have_value("grow-together")  # admin's prepopulate.js
    expect(page.locator("#id_managers_from")).to_be_visible()  # SelectFilter2 built it
    page.locator("#id_managers_from option", has_text="Ada Manager").dblclick()
    expect(page.locator("#id_managers_to option", has_text="Ada Manager")).to_have_count(1)
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()  # calendar.js / DateTimeShortcuts


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/meetings/check/",
    ],
)
def test_the_account_pages_work_under_the_policy(page: Page, base: str, url: str):
    sign_in_by_cookie(page.context, base, UserFactory())
    response = page.goto(f"{base}{url}")
    assert response is not None, url
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"])
def test_the_sign_in_pages_work_under_the_policy(page: Page, base: str, url: str):
    response = page.goto(f"{base}{url}")
    assert response is not None, url
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
