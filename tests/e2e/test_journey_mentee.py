"""A mentee's journey, on a phone (390 px) and on a desktop (1280 px), with JavaScript on
and axe on every page: create an account from an invitation (which accepts it), fill the profile and
paint the availability grid by tapping, apply to another cohort; then find the mentor on
the home page and propose a meeting. At 390 px no page scrolls sideways (``check``)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from meridian.accounts.models import Profile, User
from meridian.programs.models import Enrollment
from meridian.scheduling.models import Meeting, MeetingStatus
from tests.e2e.support import DESKTOP, PHONE, check, in_view, person, sign_in_by_cookie, visit
from tests.factories import CohortFactory, InvitationFactory, ProgramFactory, mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(PHONE, id="390px"), pytest.param(DESKTOP, id="1280px")]
NEW_PASSWORD = "Lantern-orbit-47"
EVERY_DAY = "; ".join(f"{d} 06:00-22:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))


def cell(grid: Locator, day: int, hh_mm: str) -> Locator:
    hours, minutes = hh_mm.split(":")
    return grid.locator(f'td[data-day="{day}"][data-start="{int(hours) * 60 + int(minutes)}"]')


@pytest.mark.parametrize("size", WIDTHS)
def test_a_mentee_joins_from_an_invitation(page: Page, base: str, size: ViewportSize) -> None:
    manager = person(name="Mona Manager")
    program = ProgramFactory(name="Women in Engineering", managers=[manager])
    spring = CohortFactory(program=program, name="Spring 2030", status="open")
    CohortFactory(program=program, name="Autumn 2030", status="open", description="Monthly, small groups.")
    invitation = InvitationFactory(
        cohort=spring, email="ines@example.org", invited_by=manager, message="Glad to have you."
    )
    page.set_viewport_size(size)

    visit(page, f"{base}/invitations/{invitation.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Spring 2030")
    in_view(page, page.get_by_role("link", name="Create my account"))
    page.get_by_role("link", name="Create my account").click()
    check(page)
    page.get_by_label("Your name:", exact=True).fill("Ines Invitee")
    page.get_by_label("Your time zone:", exact=True).select_option("Asia/Kolkata")
    page.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again):", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    # Creating the account was the acceptance: no second "Accept and join" click.
    expect(page.get_by_text("Welcome to Women in Engineering · Spring 2030!", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Accept and join")).to_have_count(0)

    # The profile: a few words, then the week grid painted by tapping its cells.
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    check(page)
    page.get_by_label("Skills I want to grow:", exact=True).fill("Leadership; SQL")
    page.get_by_label("Languages:", exact=True).fill("en; hi")
    grid = page.get_by_role("grid", name="When you can meet Times are in Asia/Kolkata (UTC+05:30)")
    for hh_mm in ("09:00", "09:30", "10:00"):
        cell(grid, 1, hh_mm).click()  # Tuesday
    cell(grid, 3, "18:00").click()  # Thursday
    expect(page.locator("#id_availability")).to_have_value("Tue 09:00-10:30; Thu 18:00-18:30")
    expect(page.get_by_text("2 hours a week")).to_be_visible()
    check(page)
    save = page.get_by_role("button", name="Save profile")
    save.scroll_into_view_if_needed()
    in_view(page, save)
    save.click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    expect(page.locator("#mine-h + p .badge")).to_have_text("Approved")
    check(page)
    ines = User.objects.get(email="ines@example.org")
    assert ines.time_zone == "Asia/Kolkata"
    assert Profile.objects.get(user=ines).availability == "Tue 09:00-10:30; Thu 18:00-18:30"

    # Apply to the other open cohort, from the home page.
    visit(page, f"{base}/")
    apply = page.get_by_role("link", name="Apply Autumn 2030")
    in_view(page, apply)
    apply.click()
    check(page)
    page.get_by_label("Mentee", exact=True).check()
    page.get_by_label("What do you hope to get from it?").fill("To lead a team one day.")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Application sent.")).to_be_visible()
    check(page)

    visit(page, f"{base}/")
    cohorts = page.locator("section[aria-labelledby=mine-h] tbody tr")
    expect(cohorts.filter(has_text="Spring 2030").locator(".badge")).to_have_text("Approved")
    expect(cohorts.filter(has_text="Autumn 2030").locator(".badge")).to_have_text("Applied")
    assert set(Enrollment.objects.filter(user=ines).values_list("cohort__name", "status")) == {
        ("Spring 2030", "approved"),
        ("Autumn 2030", "applied"),
    }


def pair_with_hours() -> tuple[Any, dict[str, Any]]:
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "America/Sao_Paulo"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user__profile")}
    for user in people.values():
        user.profile.availability = EVERY_DAY
        user.profile.save()
    return pair, people


@pytest.mark.parametrize("size", WIDTHS)
def test_a_mentee_finds_their_mentor_at_home_and_proposes_a_meeting(
    page: Page, base: str, size: ViewportSize
) -> None:
    pair, people = pair_with_hours()
    sign_in_by_cookie(page.context, base, people["mentee"])
    page.set_viewport_size(size)

    visit(page, f"{base}/")
    card = page.locator("section[aria-labelledby=pairs-h] article", has_text="Yusuf Demir")
    expect(card).to_contain_text(pair.program.name)
    expect(card).to_contain_text("you are the mentee")
    expect(card).to_contain_text("No meeting is scheduled yet.")
    meetings = card.get_by_role("link", name="Meetings with Yusuf Demir")
    in_view(page, meetings)
    meetings.click()
    expect(page.get_by_role("heading", name="Times that suit everyone")).to_be_visible()
    check(page)
    chip = page.locator("label.chip").nth(2)
    in_view(page, chip)
    chip.click()
    page.locator("label.chip").nth(5).click()
    propose = page.get_by_role("button", name="Propose these times")
    propose.scroll_into_view_if_needed()
    in_view(page, propose)
    propose.click()
    expect(page.locator(".message-success")).to_contain_text("Your proposal is on its way")
    expect(page.get_by_role("heading", name="Proposed times")).to_be_visible()
    check(page)
    meeting = Meeting.objects.get(mentorship=pair)
    assert meeting.status == MeetingStatus.PROPOSED
    assert meeting.options.count() == 2

    visit(page, f"{base}/mentorships/{pair.public_id}/meetings/")
    expect(page.get_by_role("heading", name="Waiting for an answer")).to_be_visible()
    check(page)
