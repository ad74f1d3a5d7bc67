"""Messages in a real browser, two people at once: the mentor sends (htmx, no reload), the
mentee, on the same page in another browser, sees it appear by the poll without a
reload, and answers; an empty message is refused beside the field; HTML shows as typed.
At 1280 and 390 px, axe-checked, under the strict Content Security Policy."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
POLL_WAIT = 15_000  # the page asks every 10 s


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_message_appears_for_the_partner_without_a_reload(
    page: Page, new_context: Any, base: str, size: ViewportSize
) -> None:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "Europe/Berlin"},
    )
    people = {m.role: m.user for m in mentorship.members.select_related("user")}
    url = f"{base}/mentorships/{mentorship.public_id}/messages/"

    mentee_page = new_context(viewport=size).new_page()
    sign_in_by_cookie(mentee_page.context, base, people["mentee"])
    visit(mentee_page, url)
    expect(mentee_page.locator("#no-messages")).to_be_visible()
    mentee_page.evaluate("window.stillThisPage = true")  # gone if the page reloads

    page.set_viewport_size(size)
    sign_in_by_cookie(page.context, base, people["mentor"])
    visit(page, url)
    page.get_by_label("Your message").fill("   ")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#composer .errorlist")).to_contain_text("Write a message before sending it.")
    check(page)

    page.get_by_label("Your message").fill("Welcome Ben! <b>Tuesday</b> at 10? https://meet.example.org/ana")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list")).to_contain_text("Welcome Ben! <b>Tuesday</b> at 10?")
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.locator("#composer")).to_contain_text("Sent.")
    check(page)

    arrived = mentee_page.locator("#message-list .post", has_text="Welcome Ben!")
    expect(arrived).to_be_visible(timeout=POLL_WAIT)
    expect(arrived).to_contain_text("Ana Ruiz")
    expect(arrived.locator("b")).to_have_count(0)  # shown as typed, never as markup
    link = arrived.get_by_role("link", name="https://meet.example.org/ana")
    expect(link).to_have_attribute("href", "https://meet.example.org/ana")  # a web address is a link
    expect(mentee_page.locator("#no-messages")).to_be_hidden()
    assert mentee_page.evaluate("window.stillThisPage") is True
    check(mentee_page)

    mentee_page.get_by_label("Your message").fill("Perfect,\nsee you then.")
    mentee_page.get_by_role("button", name="Send").click()
    expect(mentee_page.locator("#message-list .post.mine")).to_contain_text("see you then.")
    expect(mentee_page.locator("#message-list .post")).to_have_count(2)
    reply = page.locator("#message-list .post", has_text="see you then.")
    expect(reply).to_be_visible(timeout=POLL_WAIT)
    expect(page.locator("#message-list .post")).to_have_count(2)  # nothing shown twice
    check(page)

    visit(mentee_page, f"{base}/mentorships/{mentorship.public_id}/")
    section = mentee_page.locator("section", has=mentee_page.get_by_role("heading", name="Messages"))
    expect(section).to_contain_text("see you then.")
    section.get_by_role("link", name="Open the conversation").click()
    expect(mentee_page.locator("#message-list .post")).to_have_count(2)
    check(mentee_page)


def test_a_long_thread_opens_at_the_newest_and_loads_older_ones(page: Page, base: str) -> None:
    from meridian.messaging.models import Message, Thread

    mentorship = mentoring_pair(mentee_fields={"name": "Ben Cole", "time_zone": "Asia/Tokyo"})
    people = {m.role: m.user for m in mentorship.members.select_related("user")}
    thread = Thread.objects.create(mentorship=mentorship)
    Message.objects.bulk_create(
        Message(thread=thread, author=people["mentor" if n % 2 else "mentee"], body=f"Message number {n:02d}")
        for n in range(45)
    )
    sign_in_by_cookie(page.context, base, people["mentee"])
    visit(page, f"{base}/mentorships/{mentorship.public_id}/messages/")
    posts = page.locator("#message-list .post")
    expect(posts).to_have_count(30)
    expect(posts.last).to_contain_text("Message number 44")
    expect(posts.last).to_be_in_viewport()  # the conversation opens at its newest message
    expect(page.locator("main")).to_contain_text("Times are in your time zone, Asia/Tokyo")
    expect(posts.last.locator("time")).to_contain_text("(Asia/Tokyo)")  # a zone name, not "JST" or "-03"
    page.get_by_role("link", name="Load older messages").click()
    expect(posts).to_have_count(45)
    expect(posts.first).to_contain_text("Message number 00")
    expect(page.get_by_role("link", name="Load older messages")).to_have_count(0)
    check(page)
