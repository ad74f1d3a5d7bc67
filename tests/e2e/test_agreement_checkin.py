"""The pair's rules of engagement and a quick check-in in a real browser (htmx, strict
CSP): the mentor proposes the agreement (a bad time refused beside the field first), the
mentee reads it on their own clock and accepts, then the mentee's change needs both again;
at 390 px the mentee sends a check-in with one tap and the mentor reads it. axe-checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.mentorships import weekly
from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _pair() -> tuple[Any, dict[str, Any]]:
    mentorship = mentoring_pair(
        mentor_fields={
            "name": "Ana Ruiz",
            "time_zone": "Europe/London",
            "profile__availability": "Mon 09:00-17:00; Wed 09:00-17:00",
        },
        mentee_fields={
            "name": "Ben Cole",
            "time_zone": "America/New_York",
            "profile__availability": "Mon 08:00-12:00; Wed 08:00-12:00",
        },
    )
    return mentorship, {m.role: m.user for m in mentorship.members.select_related("user")}


def test_the_mentor_proposes_the_mentee_accepts_and_a_change_needs_both_again(
    page: Page, new_context: Any, base: str
) -> None:
    mentorship, people = _pair()
    page.set_viewport_size(DESKTOP)
    sign_in_by_cookie(page.context, base, people["mentor"])
    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    section = page.locator("#agreement-section")
    expect(section).to_contain_text("Not agreed yet.")
    section.get_by_role("link", name="Propose how you will work").click()
    expect(page.get_by_role("heading", name="How we work together", exact=True)).to_be_visible()
    times = page.get_by_label("Preferred meeting times:", exact=True)
    monday = weekly.next_monday(timezone.localdate())
    shared = weekly.shared_hours(
        [(p.profile.availability, p.time_zone) for p in people.values()], "Europe/London", monday
    )
    assert shared.startswith("Mon ")  # New York's morning is London's afternoon
    assert times.input_value() == shared
    check(page)

    times.fill("Someday <b>9</b>")
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator("#id_meeting_times_error")).to_contain_text("expected a window")
    page.get_by_label("Preferred meeting times:", exact=True).fill("Mon 14:00-15:00")
    page.get_by_label("Confidentiality:", exact=True).fill("What we say stays <i>between us</i>.")
    page.get_by_label("Our sessions may be recorded").check()
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator("#agreement-current")).to_contain_text("Waiting for Ben Cole.")
    expect(page.locator("#agreement-current")).to_contain_text("What we say stays <i>between us</i>.")
    check(page)

    mentee = new_context(viewport=DESKTOP).new_page()
    sign_in_by_cookie(mentee.context, base, people["mentee"])
    visit(mentee, f"{base}/mentorships/{mentorship.public_id}/")
    mentee.locator("#agreement-section").get_by_role("link", name="Read and accept the agreement").click()
    current = mentee.locator("#agreement-current")
    expect(current).to_contain_text("Your time (America/New York): Mon 09:00–10:00")
    expect(current).to_contain_text("Ana Ruiz (Europe/London): Mon 14:00–15:00")
    mentee.get_by_role("button", name="Accept version 1").click()
    expect(mentee.locator("#agreement-current")).to_contain_text("Agreed on")
    expect(mentee.locator("#agreement-current")).to_contain_text("(America/New York)")
    check(mentee)

    mentee.get_by_label("We meet:", exact=True).select_option(label="Every 4 weeks")
    mentee.get_by_role("button", name="Propose this change").click()
    expect(mentee.locator("#agreement-current")).to_contain_text("Waiting for Ana Ruiz.")
    expect(mentee.locator(".history > li")).to_have_count(2)
    check(mentee)

    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    expect(page.locator("#agreement-section")).to_contain_text("A change is waiting for Ana Ruiz.")
    page.locator("#agreement-section").get_by_role("link", name="Read and accept the agreement").click()
    expect(page.locator("#agreement-current")).to_contain_text("45 minutes, Every 4 weeks")
    page.get_by_role("button", name="Accept version 2").click()
    expect(page.locator("#agreement-current")).to_contain_text("Agreed on")
    expect(page.locator("#agreement-current")).to_contain_text("(Europe/London)")
    expect(page.get_by_text("You have accepted this version.")).to_be_visible()
    check(page)


def test_a_check_in_with_one_tap_on_a_phone_reaches_the_partner(
    page: Page, new_context: Any, base: str
) -> None:
    mentorship, people = _pair()
    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, people["mentee"])
    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    section = page.locator("#checkin-section")
    section.get_by_role("button", name="Send check-in").click()  # no mood: refused beside it
    expect(page.locator("#checkin-section .errorlist")).to_contain_text("This field is required.")
    section = page.locator("#checkin-section")
    section.get_by_label("Good", exact=True).check()
    section.get_by_label("One line (optional):", exact=True).fill("Sent my first <script>PR</script>")
    section.get_by_role("button", name="Send check-in").click()
    expect(page.locator("#checkin-section")).to_contain_text("Sent: your partner sees it here.")
    expect(page.locator("#checkin-section .checkins")).to_contain_text(
        "You: Good — Sent my first <script>PR</script>"
    )
    check(page)

    mentor = new_context(viewport=PHONE).new_page()
    sign_in_by_cookie(mentor.context, base, people["mentor"])
    visit(mentor, f"{base}/mentorships/{mentorship.public_id}/")
    expect(mentor.locator("#checkin-section .checkins")).to_contain_text("Ben Cole: Good — Sent my first")
    expect(mentor.locator("#checkin-section")).to_contain_text("(Europe/London)")
    mentor.locator("#report-section summary").click()
    expect(mentor.get_by_label("What you tried:", exact=True)).to_be_visible()
    check(mentor)
