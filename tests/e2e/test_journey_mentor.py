"""A mentor's journey, on a phone (390 px) and on a desktop (1280 px), with JavaScript on
and axe on every page: accept a time the mentee proposed, move the meeting, subscribe to
the calendar feed and find the meeting in it (fetched as a calendar app would, parsed with
icalendar), cancel it and see it leave the feed; mark a past meeting held, and work
through its agenda, notes and action items."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Page, Playwright, ViewportSize, expect

from meridian.scheduling import guide, services
from meridian.scheduling.models import ActionItem, Meeting, MeetingStatus
from tests.e2e.support import DESKTOP, PHONE, check, in_view, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(PHONE, id="390px"), pytest.param(DESKTOP, id="1280px")]
SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def a_pair() -> tuple[Any, dict[str, Any]]:
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "America/Sao_Paulo"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    guide.guide_seed(program=pair.program)
    return pair, {m.role: m.user for m in pair.members.select_related("user")}


def feed_events(playwright: Playwright, url: str) -> dict[str, Any]:
    """The feed at ``url`` as a calendar app reads it (no cookies): its events by UID."""
    app = playwright.request.new_context()
    try:
        answer = app.get(url)
        assert answer.status == 200, answer.status
        assert answer.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(answer.body())
    finally:
        app.dispose()
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize("size", WIDTHS)
def test_a_mentor_accepts_moves_subscribes_and_cancels(
    page: Page, base: str, playwright: Playwright, size: ViewportSize
) -> None:
    pair, people = a_pair()
    soon = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    proposed = services.meeting_propose(
        mentorship=pair,
        user=people["mentee"],
        proposal=services.MeetingProposal(starts=[soon, soon + dt.timedelta(days=1)], minutes=45),
    )
    sign_in_by_cookie(page.context, base, people["mentor"])
    page.set_viewport_size(size)

    # From the home page to the proposal, and accept its first time.
    visit(page, f"{base}/")
    card = page.locator("section[aria-labelledby=pairs-h] article", has_text="Priya Raman")
    expect(card).to_contain_text("you are the mentor")
    expect(card).to_contain_text("1 proposal waits for your answer:")
    expect(card.get_by_role("link", name=re.compile("proposed by Priya Raman$"))).to_be_visible()
    card.get_by_role("link", name="Meetings with Priya Raman").click()
    expect(page.get_by_role("heading", name="Waiting for an answer")).to_be_visible()
    check(page)
    visit(page, f"{base}/meetings/{proposed.public_id}/")
    first = page.get_by_role("button", name=re.compile("^Accept")).first
    in_view(page, first)
    first.click()
    expect(page.locator(".message-success")).to_contain_text("Accepted")
    expect(page.get_by_text(re.compile(r"For Priya Raman: .* \(Asia/Kolkata\)"))).to_be_visible()
    check(page)
    meeting = Meeting.objects.get(pk=proposed.pk)
    assert (meeting.status, meeting.starts_at) == (MeetingStatus.SCHEDULED, soon)

    # Move it two days on, at 10:00 the mentor's time (typed in their own zone).
    day = (soon + dt.timedelta(days=2)).astimezone(SAO_PAULO).date()
    moved = dt.datetime.combine(day, dt.time(10), SAO_PAULO)
    page.get_by_text("Move this meeting").click()
    page.get_by_label("New time").fill(f"{day:%Y-%m-%d}T10:00")
    page.get_by_label("Why it moves").fill("A clash with a workshop")
    move = page.get_by_role("button", name="Move it")
    in_view(page, move)
    move.click()
    expect(page.locator(".message-success")).to_contain_text("Moved")
    expect(page.locator(".lead").first).to_contain_text(f"{moved:%A} {moved.day} {moved:%B %Y}, 10:00")
    check(page)
    meeting.refresh_from_db()
    assert meeting.starts_at == moved.astimezone(dt.UTC)

    # The home page gives the next meeting in the mentor's time, with the zone named.
    visit(page, f"{base}/")
    expect(card).to_contain_text(
        f"Next meeting: {moved:%a} {moved.day} {moved:%b}, 10:00 (America/Sao Paulo)"
    )
    # ... and in the partner's, with their card: zone named and their clock now.
    there = moved.astimezone(zoneinfo.ZoneInfo("Asia/Kolkata"))
    expect(card).to_contain_text(
        f"For Priya Raman: {there:%a} {there.day} {there:%b}, {there:%H:%M} (Asia/Kolkata)"
    )
    expect(card).to_contain_text(re.compile(r"Priya Raman, your mentee · Asia/Kolkata, \d\d:\d\d there now"))

    # Subscribe to the feed from the meetings page; a calendar app finds the meeting in it.
    card.get_by_role("link", name="Meetings with Priya Raman").click()
    page.get_by_role("link", name="Add to my calendar app").click()
    expect(page.get_by_role("heading", name="Your calendar feed is off")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Turn the feed on").click()
    expect(page.locator(".message-success")).to_contain_text("Your calendar feed is on")
    address = page.get_by_label("Subscription address")
    in_view(page, address)
    check(page)
    url = address.input_value()
    assert url.startswith(f"{base}/calendar/"), url
    events = feed_events(playwright, url)
    assert meeting.uid in events, list(events)
    event = events[meeting.uid]
    assert event.decoded("DTSTART") == moved
    assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(minutes=45)

    # Cancel it: it leaves the feed.
    visit(page, f"{base}/meetings/{meeting.public_id}/")
    page.get_by_text("Cancel this meeting").click()
    reason = page.locator("#change-h ~ details", has_text="Cancel this meeting").get_by_label(
        "Why:", exact=True
    )
    expect(reason).to_have_attribute("required", "")  # the browser asks for a reason first
    check(page)
    reason.fill("Priya changed teams")
    cancel = page.get_by_role("button", name="Cancel the meeting")
    in_view(page, cancel)
    cancel.click()
    expect(page.locator(".message-success")).to_contain_text("Cancelled")
    expect(page.locator("h1 .badge")).to_have_text("Cancelled")
    check(page)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.uid not in feed_events(playwright, url)


@pytest.mark.parametrize("size", WIDTHS)
def test_a_mentor_records_the_outcome_and_works_through_the_meeting(
    page: Page, base: str, size: ViewportSize
) -> None:
    pair, people = a_pair()
    past = Meeting.objects.create(
        mentorship=pair,
        minutes=45,
        status=MeetingStatus.SCHEDULED,
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    sign_in_by_cookie(page.context, base, people["mentor"])
    page.set_viewport_size(size)

    visit(page, f"{base}/mentorships/{pair.public_id}/meetings/")
    row = page.locator("section[aria-labelledby=past-h] tbody tr").first
    expect(row).to_contain_text("how did it go?")
    row.get_by_role("link").click()
    expect(page.get_by_text("How did it go?")).to_be_visible()
    check(page)
    held = page.get_by_role("button", name="We met")
    in_view(page, held)
    held.click()
    expect(page.locator(".message-success")).to_contain_text("the meeting is marked")
    expect(page.locator("h1 .badge")).to_have_text("Held")
    expect(page.get_by_role("button", name="Correct: it did not happen")).to_be_visible()
    check(page)
    past.refresh_from_db()
    assert past.status == MeetingStatus.HELD

    # The agenda the guide suggests, shared notes and an action item, on the same page.
    page.locator("#ws-agenda").get_by_role("button", name="Use this agenda").click()
    expect(page.locator("#messages")).to_contain_text("The agenda is saved.")
    page.get_by_label("Shared notes", exact=True).fill("Priya will lead the next retro.")
    page.get_by_role("button", name="Save shared notes").click()
    expect(page.locator("#messages")).to_contain_text("The shared notes are saved.")
    check(page)
    page.get_by_label("New action").fill("Send Priya the retro template")
    page.get_by_label("Owner").select_option(label="Yusuf Demir")
    page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    add = page.get_by_role("button", name="Add action")
    in_view(page, add)
    add.click()
    item = page.locator("#ws-actions tbody tr", has_text="Send Priya the retro template")
    expect(item).to_contain_text("Yusuf Demir")
    done = page.get_by_label("Done: Send Priya the retro template")
    in_view(page, done)
    done.check()
    expect(item).to_have_class("ws-done")
    check(page)
    assert ActionItem.objects.get(text="Send Priya the retro template").done_at is not None
