"""A participant applies as a mentor, the manager approves in the enrolment table (htmx),
the participant sees the decision and withdraws."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.programs.models import Enrollment
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_takes_an_application_through_approval_to_withdrawal(page, new_context, base, smtp_server):
    manager = UserFactory(name="Mona Manager")
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]), name="Autumn", status="open")
    pia = UserFactory(name="Pia Participant", email="pia@example.org")
    sign_in_by_cookie(page.context, base, pia)

    visit(page, f"{base}/cohorts/{cohort.public_id}/")
    page.get_by_role("link", name="Apply to this cohort").click()
    check(page)
    page.get_by_label("Mentor", exact=True).check()
    page.get_by_label("How many mentees can you take?").fill("2")
    page.get_by_label("What do you hope to get from it?").fill("Give back what I was given.")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_text("Application sent.")).to_be_visible()
    expect(page.locator("#mine-h + p .badge")).to_have_text("Applied")
    check(page)
    enrollment = Enrollment.objects.get(user=pia, cohort=cohort)
    assert (enrollment.role, enrollment.capacity) == ("mentor", 2)

    team = new_context().new_page()
    sign_in_by_cookie(team.context, base, manager)
    visit(team, f"{base}/programs/{cohort.program.public_id}/people/?status=applied")
    row = team.locator(f"#row-{enrollment.public_id}")
    expect(row).to_contain_text("Pia Participant")
    expect(row).to_contain_text("takes 2")
    row.get_by_role("button", name="Approve Pia Participant").click()
    row = team.locator(f"#row-{enrollment.public_id}")  # htmx swapped the row in place
    expect(row.locator(".badge")).to_have_text("Approved")
    expect(row.get_by_role("button")).to_have_count(0)
    expect(team.locator("#messages")).to_have_text("Approved Pia Participant.")  # out-of-band swap
    assert "status=applied" in team.url  # no page load: the table stayed where it was
    check(team)
    assert any("pia@example.org" in m["To"] for m in smtp_server.messages())

    visit(page, f"{base}/cohorts/{cohort.public_id}/")
    expect(page.locator("#mine-h + p .badge")).to_have_text("Approved")
    page.get_by_role("link", name="Withdraw from this cohort").click()
    check(page)
    page.get_by_label("Reason (optional)").fill("A new job leaves me no time.")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Withdrawn from")).to_be_visible()
    expect(page.locator("#mine-h + p .badge")).to_have_text("Withdrawn")
    check(page)
