"""Helpers the browser tests and the screenshot script share: visit a page and check it
with axe, sign in (through the form, or by session cookie where sign-in is not under
test), read a link out of the SMTP mailbox, move through a page by keyboard."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, expect

from tests.factories import PASSWORD, UserFactory

AXE = Axe()
AXE_LOADED = Axe(axe_script="void 0")  # for a second run on a page that already has axe
# Colour contrast is most of axe's time on a long table; its rows share one template and
# one style, so contrast is checked on the first rows only. Every other rule sees it all.
ALL_BUT_CONTRAST = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}
CONTRAST = {"resultTypes": ["violations"], "runOnly": ["color-contrast"]}
REPEATED_ROWS = {"exclude": [["tbody tr:nth-child(n+4)"]]}
LINK = re.compile(r"https?://\S+")
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
CHECKED: list[str] = []  # every page state axe passed, for the count at the end of the run


def check(page: Page) -> None:
    """axe on the page as it is now: no violation at all (and, at phone width, no
    sideways scrolling)."""
    page.wait_for_load_state()
    for results in (
        AXE.run(page, options=ALL_BUT_CONTRAST),
        AXE_LOADED.run(page, context=REPEATED_ROWS, options=CONTRAST),
    ):
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    CHECKED.append(page.url)
    if page.viewport_size and page.viewport_size["width"] <= PHONE["width"]:
        fits(page)


def fits(page: Page) -> None:
    """The page does not scroll sideways at its viewport's width."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px: {scroll} px wide"


def in_view(page: Page, control: Locator) -> None:
    """``control`` is visible and lies wholly inside the viewport's width (a phone's thumb
    reaches it without scrolling sideways)."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    expect(control).to_be_visible()
    box = control.bounding_box()
    assert box is not None
    where = f"{page.url} at {width} px: {control} spans {box['x']:.0f}–{box['x'] + box['width']:.0f} px"
    assert box["x"] >= 0, where
    assert box["x"] + box["width"] <= width, where


def visit(page: Page, url: str, status: int = 200) -> None:
    """Go to ``url``, expect ``status`` and no accessibility violation."""
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url}: {response.status}"
    check(page)


def person(**fields: Any) -> Any:
    """A user who can sign in through the form (verified address: verification is mandatory)."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    """Through allauth's real login form."""
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email:", exact=True).fill(email)
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    check(page)


def sign_in_by_cookie(context: BrowserContext, base: str, user: Any) -> None:
    """A real session for ``user`` without the login form (for flows that do not test it)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def link_in_mail(smtp: Any, to: str, contains: str) -> str:
    """The first link containing ``contains`` in the last message sent to ``to``."""
    mails = [m for m in smtp.messages() if to in m["To"]]
    assert mails, f"no mail to {to}; sent: {[m['To'] for m in smtp.messages()]}"
    text = mails[-1].get_body(preferencelist=("plain",)).get_content()
    links = [link for link in LINK.findall(text) if contains in link]
    assert links, f"no link with {contains!r} in:\n{text}"
    return str(links[0])


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has the focus, and check it shows."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
            assert outline != "none", f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} not reached in {limit} presses of {key}")
