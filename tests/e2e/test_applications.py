"""Applications are not decided blind, in a real browser with axe on every page: the
manager opens an applicant's profile and answer from the People page, then ticks several
applications, reads who on the confirmation page, confirms, and sees them decided."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from meridian.programs.models import Enrollment
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_an_application_then_approves_several_at_once(page: Page, base: str) -> None:
    manager = UserFactory(name="Mona Manager")
    program = ProgramFactory(managers=[manager])
    cohort = CohortFactory(program=program, name="Autumn", status="open")
    hopes = {
        "Ada Applicant": "A mentor who has led a data team.",
        "Bo Applicant": "Practice for public speaking.",
        "Cy Applicant": "Someone to review my designs.",
    }
    for name, motivation in hopes.items():
        EnrollmentFactory(cohort=cohort, user=UserFactory(name=name), status="applied", motivation=motivation)
    sign_in_by_cookie(page.context, base, manager)
    visit(page, f"{base}/programs/{program.public_id}/people/?status=applied")

    # The name opens the profile and the answer to "what do you hope to get".
    page.get_by_role("link", name="Bo Applicant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bo Applicant")
    expect(page.get_by_text("Practice for public speaking.")).to_be_visible()
    check(page)
    page.go_back()

    # Tick two, approve them: a page names who, and nothing happens before "Yes".
    page.get_by_role("checkbox", name="Tick Ada Applicant").check()
    page.get_by_role("checkbox", name="Tick Cy Applicant").check()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approve 2 applications?")
    expect(page.locator("ul.chosen li")).to_have_text(
        ["Ada Applicant · Autumn · Mentee", "Cy Applicant · Autumn · Mentee"]
    )
    check(page)
    assert set(Enrollment.objects.filter(cohort=cohort).values_list("status", flat=True)) == {"applied"}
    page.get_by_role("button", name="Yes, approve them").click()

    expect(page.locator("#messages")).to_have_text("Approved 2 applications: Ada Applicant, Cy Applicant.")
    expect(page.get_by_role("link", name="Ada Applicant")).to_have_count(0)  # no longer waiting
    expect(page.get_by_role("link", name="Bo Applicant")).to_be_visible()
    check(page)
    assert dict(Enrollment.objects.filter(cohort=cohort).values_list("user__name", "status")) == {
        "Ada Applicant": "approved",
        "Bo Applicant": "applied",
        "Cy Applicant": "approved",
    }
