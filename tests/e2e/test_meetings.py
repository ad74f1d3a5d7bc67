"""Meetings in a real browser: a mentor finds a mutual time on the meetings page and
proposes it, the mentee accepts from the meeting page, both get the invitation, and the
mentee moves it with a reason."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from playwright.sync_api import expect

from meridian.scheduling.models import Meeting, MeetingStatus
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVERY_DAY = "; ".join(f"{d} 06:00-22:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))


def test_propose_a_mutual_time_accept_and_move_it(page, new_context, base, smtp_server):
    pair = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Asia/Kathmandu"},
        mentee_fields={"name": "Ben Cole", "time_zone": "Europe/Berlin"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user__profile")}
    for user in people.values():
        user.profile.availability = EVERY_DAY
        user.profile.save()

    sign_in_by_cookie(page.context, base, people["mentor"])
    visit(page, f"{base}/mentorships/{pair.public_id}/")
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", name="Times that suit everyone")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Propose these times").click()  # nothing ticked
    expect(page.locator(".errors-summary")).to_contain_text("Tick one to three times")
    check(page)
    chips = page.locator("label.chip")
    chips.nth(0).click()
    chips.nth(3).click()
    page.get_by_role("button", name="Propose these times").click()
    expect(page.locator(".message-success")).to_contain_text("Your proposal is on its way")
    check(page)
    meeting = Meeting.objects.get()
    assert meeting.options.count() == 2
    assert any(people["mentee"].email in m["To"] for m in smtp_server.messages())

    theirs = new_context().new_page()
    sign_in_by_cookie(theirs.context, base, people["mentee"])
    visit(theirs, f"{base}/meetings/{meeting.public_id}/")
    theirs.get_by_role("button", name=re.compile("^Accept")).first.click()
    expect(theirs.locator(".message-success")).to_contain_text("Accepted")
    expect(theirs.get_by_role("link", name=re.compile("Join the video call"))).to_be_visible()
    expect(theirs.get_by_text(re.compile(r"For Ana Ruiz: .* \(Asia/Kathmandu"))).to_be_visible()
    check(theirs)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    invited = {
        m["To"]
        for m in smtp_server.messages()
        for part in m.walk()
        if part.get_content_type() == "text/calendar" and meeting.uid in part.get_content()
    }
    assert invited == {people["mentor"].email, people["mentee"].email}

    theirs.get_by_text("Move this meeting").click()
    theirs.get_by_label("New time").fill("2099-01-01T10:00")
    theirs.get_by_label("Why it moves").fill("A clash with a team workshop")
    theirs.get_by_role("button", name="Move it").click()
    expect(theirs.locator(".errors-summary")).to_contain_text("within the next year")
    assert meeting.starts_at is not None
    later = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")) + dt.timedelta(days=3)
    theirs.get_by_label("New time").fill(later.strftime("%Y-%m-%dT21:00"))
    theirs.get_by_label("Why it moves").fill("A clash with a team workshop")
    theirs.get_by_role("button", name="Move it").click()
    expect(theirs.locator(".message-success")).to_contain_text("Moved")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
