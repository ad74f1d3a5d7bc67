"""Browser tests: pytest-playwright's ``page`` (one shared Chromium, a fresh context per
test) against pytest-django's ``live_server``."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, expect


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
