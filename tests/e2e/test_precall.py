"""The pre-call check in a real browser: Chromium's fake camera and microphone pass all three
checks; a refused or missing camera is explained in plain words."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import check, sign_in_by_cookie, tab_to, visit
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL = "/meetings/check/"
REJECT = 'navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("denied", "{name}"));'


def open_check(page: Page, base: str) -> None:
    sign_in_by_cookie(page.context, base, UserFactory())
    visit(page, f"{base}{URL}")


def expect_states(page: Page, **states: str) -> None:
    for name, state in states.items():
        # the microphone listens for a few seconds before it may say "ok"
        expect(page.locator(f"#check-{name}")).to_have_attribute("data-state", state, timeout=10_000)


def test_it_passes_all_three_checks_with_a_working_camera_and_microphone(page, base):
    open_check(page, base)
    expect_states(page, camera="ok", microphone="ok", connection="ok")
    expect(page.locator("#check-camera")).to_contain_text("Camera works: you should see yourself below.")
    expect(page.locator("#check-microphone")).to_contain_text(
        "Microphone works: the bar moves when you speak."
    )
    expect(page.locator("#check-connection")).to_contain_text("Good for video.")
    assert page.locator("#camera-preview").evaluate("v => v.videoWidth") > 0
    expect(page.locator("#net-latency")).to_contain_text(" ms")
    expect(page.locator("#net-speed")).to_contain_text("Mbit/s")
    check(page)

    tab_to(page, page.get_by_role("button", name="Check again"))
    page.keyboard.press("Enter")
    expect_states(page, camera="ok", microphone="ok", connection="ok")
    check(page)

    # Leaving the page turns the camera and microphone off.
    page.evaluate("window.__tracks = document.getElementById('camera-preview').srcObject.getTracks()")
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert page.evaluate("window.__tracks.map(t => t.readyState)") == ["ended"]


def test_it_explains_a_blocked_camera(page, base):
    page.add_init_script(REJECT.replace("{name}", "NotAllowedError"))
    open_check(page, base)
    expect_states(page, camera="fail", microphone="fail")
    expect(page.locator("#check-camera")).to_contain_text(
        "Your browser blocked the camera. Click the camera icon in the address bar and choose Allow, "
        "then press Check again."
    )
    expect(page.locator("#check-microphone")).to_contain_text("Your browser blocked the microphone.")
    check(page)


def test_it_explains_a_missing_camera(page, base):
    page.add_init_script(REJECT.replace("{name}", "NotFoundError"))
    open_check(page, base)
    expect_states(page, camera="fail")
    expect(page.locator("#check-camera")).to_contain_text(
        "No camera was found. Plug one in, or join by phone."
    )
    check(page)


def test_it_says_when_the_browser_is_offline(page, base):
    open_check(page, base)
    expect_states(page, connection="ok")
    page.context.set_offline(True)
    expect_states(page, connection="fail")
    expect(page.locator("#check-connection")).to_contain_text("You are offline.")
    page.context.set_offline(False)
    expect_states(page, connection="ok")


def test_it_asks_for_https_on_an_insecure_page(page, base):
    page.add_init_script('Object.defineProperty(window, "isSecureContext", { value: false });')
    open_check(page, base)
    expect_states(page, camera="fail", microphone="fail", connection="ok")
    expect(page.locator("#check-camera")).to_contain_text(
        "This page needs a secure connection (https) to use the camera."
    )
