"""Meetings in a real browser: a mentor finds a mutual time on the meetings page and
proposes it, the mentee accepts from the meeting page, both get the invitation, and the
mentee moves it with a reason."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from playwright.sync_api import expect

from meridian.scheduling import services
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
    expect(theirs.locator("#id_move-when_error")).to_have_text("Pick a time within the next year.")
    expect(theirs.get_by_label("New time")).to_have_attribute(
        "aria-describedby", re.compile("id_move-when_error")
    )
    assert meeting.starts_at is not None
    later = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")) + dt.timedelta(days=3)
    theirs.get_by_label("New time").fill(later.strftime("%Y-%m-%dT21:00"))
    theirs.get_by_label("Why it moves").fill("A clash with a team workshop")
    theirs.get_by_role("button", name="Move it").click()
    expect(theirs.locator(".message-success")).to_contain_text("Moved")
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def kolkata_and_sao_paulo() -> tuple[Any, dict[str, Any]]:
    """Priya in Kolkata (free 06:00-23:00) and her mentor Yusuf in Sao Paulo (free 09:15-11:45),
    every day: they overlap 17:45-20:15 in Kolkata, 09:15-11:45 in Sao Paulo."""
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "America/Sao_Paulo"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user__profile")}
    hours = {"mentor": "09:15-11:45", "mentee": "06:00-23:00"}
    for role, user in people.items():
        user.profile.availability = "; ".join(
            f"{d} {hours[role]}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        )
        user.profile.working_hours = user.profile.availability
        user.profile.save()
    return pair, people


def test_the_partners_column_is_in_the_partners_own_time(page, base):
    pair, people = kolkata_and_sao_paulo()
    sign_in_by_cookie(page.context, base, people["mentee"])
    visit(page, f"{base}/mentorships/{pair.public_id}/meetings/")
    table = page.locator("table.slots")
    headers = table.locator("thead th")
    expect(headers.nth(1)).to_have_text("Your time (Kolkata)")
    expect(headers.nth(2)).to_have_text("Yusuf (Sao Paulo time)")
    row = table.locator("tbody tr").nth(1)  # a whole day's slot (today's may have begun)
    cells = row.locator("td")
    expect(cells.nth(0)).to_contain_text("17:45–20:15")
    expect(cells.nth(1)).to_have_text(re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) 09:15–11:45$"))
    for text in table.locator("td.their-time").all_inner_texts():
        start, end = text.split(" ", 1)[1].split("–")
        assert "09:15" <= start < end <= "11:45", text  # never the viewer's 17:45-20:15


def test_moving_outside_the_partners_hours_warns_and_errors_sit_by_their_field(page, base):
    pair, people = kolkata_and_sao_paulo()  # Yusuf works 09:15-11:45 in Sao Paulo
    mentor, mentee = people["mentor"], people["mentee"]
    start = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    meeting = services.meeting_propose(
        mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
    )
    services.meeting_accept(meeting=meeting, user=mentee, start=start)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/meetings/{meeting.public_id}/")
    page.get_by_text("Move this meeting").click()
    when = page.get_by_label("New time")

    when.fill("2000-01-03T10:00")  # the past: said beside the field, not at the top
    page.get_by_label("Why it moves").fill("Another commitment")
    page.get_by_role("button", name="Move it").click()
    error = page.locator("#id_move-when_error")
    expect(error).to_have_text("Pick a time in the future.")
    expect(when).to_have_attribute("aria-describedby", re.compile("id_move-when_error"))
    field, message = when.bounding_box(), error.bounding_box()
    assert field is not None
    assert message is not None
    assert 0 <= message["y"] - (field["y"] + field["height"]) < 80, (field, message)
    check(page)

    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    day = (start + dt.timedelta(days=2)).astimezone(kolkata).date()
    moved = dt.datetime.combine(day, dt.time(8), kolkata)
    theirs = moved.astimezone(zoneinfo.ZoneInfo("America/Sao_Paulo"))
    assert f"{theirs:%H:%M}" == "23:30"  # the evening before, for Yusuf
    when.fill(f"{day:%Y-%m-%d}T08:00")
    when.dispatch_event("change")
    warning = page.locator("#move-hours")
    expect(warning).to_have_text("23:30 for Yusuf (Sao Paulo time), outside their working hours.")
    check(page)
    page.get_by_label("Why it moves").fill("Another commitment")
    page.get_by_role("button", name="Move it").click()
    expect(page.locator(".message-success")).to_contain_text("Moved")
    expect(page.locator(".message-warning").first).to_contain_text("23:30 for Yusuf (Sao Paulo time)")
    meeting.refresh_from_db()
    assert meeting.starts_at == moved.astimezone(dt.UTC)

    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    visit(page, f"{base}/meetings/{meeting.public_id}/")
    expect(page.get_by_role("link", name=re.compile("Join the video call"))).to_have_count(0)
    expect(page.get_by_text("This meeting was cancelled: there is no call to join.")).to_be_visible()
