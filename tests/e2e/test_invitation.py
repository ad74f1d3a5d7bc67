"""A manager signs in, builds a program and a cohort, opens it and invites someone; the
invitee follows the emailed link, creates an account (which accepts) and fills their profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.accounts.models import User
from tests.e2e.support import check, link_in_mail, person, sign_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lantern-orbit-47"


def test_it_takes_a_manager_from_sign_in_to_an_accepted_invitation(page, new_context, base, smtp_server):
    manager = person(name="Mona Manager", email="mona@example.org", can_create_programs=True)
    sign_in(page, base, manager.email)

    page.get_by_role("link", name="Create your first program").click()
    check(page)
    page.get_by_label("Name:", exact=True).fill("Women in Engineering")
    page.get_by_label("Short name:", exact=True).fill("wie")
    page.get_by_label("Type:", exact=True).select_option("one_to_one")
    page.get_by_label("Starts on:", exact=True).fill("2030-01-06")
    page.get_by_label("Ends on:", exact=True).fill("2030-07-05")
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Women in Engineering")
    check(page)

    page.get_by_role("link", name="Add the first cohort").click()
    check(page)
    page.get_by_label("Name:", exact=True).fill("Spring 2030")
    page.get_by_label("Short name:", exact=True).fill("spring-2030")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Spring 2030")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    check(page)

    page.get_by_role("link", name="Edit", exact=True).click()
    check(page)
    page.get_by_label("Status:", exact=True).select_option("open")
    page.get_by_role("button", name="Save cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open for applications")
    check(page)

    page.get_by_role("link", name="Invite", exact=True).click()
    check(page)
    page.get_by_label("Email addresses:", exact=True).fill("ines@example.org")
    page.get_by_label("Mentee").check()
    page.get_by_label("Personal message (optional):", exact=True).fill("Glad to have you with us.")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("1 invitation sent.")).to_be_visible()
    expect(page.get_by_role("cell", name="ines@example.org")).to_be_visible()
    check(page)

    link = link_in_mail(smtp_server, "ines@example.org", "/invitations/")
    assert link.startswith(base), link

    invitee = new_context().new_page()  # another person, another browser profile
    visit(invitee, link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Spring 2030")
    expect(invitee.get_by_text("Glad to have you with us.")).to_be_visible()
    invitee.get_by_role("link", name="Create my account").click()
    check(invitee)
    expect(invitee.get_by_label("Email:", exact=True)).to_have_value("ines@example.org")
    expect(invitee.get_by_label("Your time zone:", exact=True)).to_have_value("Europe/Berlin")  # detected
    invitee.get_by_label("Your name:", exact=True).fill("Ines Invitee")
    invitee.get_by_label("Your time zone:", exact=True).select_option("America/Sao_Paulo")
    invitee.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_label("Password (again):", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Create my account").click()

    # Creating the account was the acceptance: straight to the profile, no second click.
    expect(invitee.get_by_role("heading", name="My profile")).to_be_visible()
    expect(invitee.get_by_text("Welcome to Women in Engineering · Spring 2030!", exact=False)).to_be_visible()
    expect(invitee.get_by_role("button", name="Accept and join")).to_have_count(0)
    check(invitee)
    invitee.get_by_label("Skills I can offer:", exact=True).fill("SQL; public speaking")
    invitee.get_by_label("Skills I want to grow:", exact=True).fill("Leadership")
    invitee.get_by_label("Languages:", exact=True).fill("en; pt")
    invitee.get_by_label("Weekly availability:", exact=True).fill("Mon 09:00-12:00; Wed 14:00-17:30")
    invitee.get_by_label("My manager's email:", exact=True).fill(manager.email)
    invitee.get_by_role("button", name="Save profile").click()

    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Spring 2030")
    expect(invitee.get_by_text("Profile saved.")).to_be_visible()
    expect(invitee.locator("#mine-h + p .badge")).to_have_text("Approved")
    check(invitee)

    ines = User.objects.select_related("profile__manager").get(email="ines@example.org")
    assert (ines.name, ines.time_zone) == ("Ines Invitee", "America/Sao_Paulo")
    assert ines.profile.skills_offered == ["SQL", "public speaking"]
    assert ines.profile.languages == ["en", "pt"]
    assert ines.profile.manager == manager
