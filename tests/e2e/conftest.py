"""Browser tests: pytest-playwright's ``page`` (one shared Chromium, a fresh context per
test) against pytest-django's ``live_server``. Every page runs under the real Content
Security Policy, and a test fails on any violation the browser reports."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, expect
from playwright.sync_api import Error as PlaywrightError

# Installed in every page before its own scripts: each violation the browser reports is
# handed to the test (the binding outlives navigations, unlike anything kept in the page).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.documentURI}${event.sample ? `: ${event.sample}` : ""}`);
});
"""


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A zone other than UTC, so the sign-up form's zone detection has something to do.
    return {**browser_context_args, "timezone_id": "Europe/Berlin", "locale": "en-GB"}


@pytest.fixture
def base(live_server: Any, settings: Any) -> str:
    """The live server's address; links in emails point at it."""
    settings.SITE_URL = live_server.url
    return str(live_server.url)


@pytest.fixture(scope="session", autouse=True)
def _fail_fast() -> None:
    """Pages here answer in milliseconds: wait seconds, not Playwright's default 30."""
    expect.set_options(timeout=5_000)


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def csp_violations() -> list[str]:
    """Every Content Security Policy violation the browser reported during the test."""
    return []


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], csp_violations: list[str]
) -> Iterator[Callable[..., BrowserContext]]:
    """Every browser context of a test (``page`` and extra ones) reports CSP violations;
    the test fails if there was any."""
    contexts: list[BrowserContext] = []

    def watched(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.expose_binding("__cspViolation", lambda source, text: csp_violations.append(text))
        context.add_init_script(REPORT_VIOLATIONS)

        def on_console(message: ConsoleMessage) -> None:
            if "Content Security Policy" in message.text:
                csp_violations.append(f"console: {message.text}")

        context.on("console", on_console)
        contexts.append(context)
        return context

    yield watched
    for context in contexts:  # let reports still in flight arrive
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):  # a page going away has nothing left to say
                page.evaluate("0")
    assert csp_violations == [], "Content Security Policy violations:\n" + "\n".join(csp_violations)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many page states axe passed in this run (each ``check``, ``visit`` included)."""
    from tests.e2e.support import CHECKED

    if CHECKED:
        pages = len({url.split("?")[0] for url in CHECKED})
        terminalreporter.write_line(f"axe: {len(CHECKED)} checks passed on {pages} distinct addresses")


@pytest.fixture(autouse=True)
def _journey_shot(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``JOURNEY_SHOTS`` set to a folder (``make screenshots``; never in CI), the page a
    test ends on is photographed at 1280 and at 390 px, as it stands (no reload: open
    panels and htmx swaps stay), in ``<test name>-<width>.png``."""
    folder = os.environ.get("JOURNEY_SHOTS", "")
    if not folder or "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")  # set up inside this fixture: torn down after it
    yield
    if not page.url.startswith("http") or page.is_closed():
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "-", request.node.name.replace("[chromium", "[")).strip("-")
    from tests.e2e.support import DESKTOP, PHONE

    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.screenshot(path=Path(folder) / f"{name}-{size['width']}.png", full_page=True)
