"""The enrolment table of a program with 120 people: search, a filter and paging."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meridian.accounts.models import Profile, User
from meridian.programs.models import Enrollment
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PEOPLE = 120
DEPARTMENTS = ("Finance", "Engineering", "Sales", "Legal")


def enrol_many(cohort, count: int) -> None:
    """``count`` people in three bulk inserts: 3 named Zelda, every fourth a mentor."""
    users = User.objects.bulk_create(
        User(
            email=f"member{n:03}@example.org",
            name=f"{'Zelda' if n < 3 else 'Member'} {n:03}",
            time_zone="Asia/Tokyo",
            password="!",
        )
        for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=user, department=DEPARTMENTS[n % len(DEPARTMENTS)]) for n, user in enumerate(users)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, user=user, role="mentor" if n % 4 == 0 else "mentee", status="applied")
        for n, user in enumerate(users)
    )


def test_it_searches_filters_and_pages_the_enrolment_table(page, base):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    enrol_many(CohortFactory(program=program), PEOPLE)
    sign_in_by_cookie(page.context, base, manager)
    results = page.locator("#results")

    visit(page, f"{base}/programs/{program.public_id}/people/")
    expect(results).to_contain_text("120 people · page 1 of 3")
    expect(results.locator("tbody tr")).to_have_count(50)

    page.get_by_label("Search name or email").fill("zelda")  # htmx, after a pause in typing
    expect(results).to_contain_text("3 people")
    expect(results.locator("tbody tr")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/people/\?q=zelda&"))  # the search is in the address
    check(page)

    page.get_by_label("Search name or email").fill("")
    expect(results).to_contain_text("120 people")
    page.get_by_label("Role").select_option("mentor")
    expect(results).to_contain_text("30 people")
    expect(results.locator("tbody tr").filter(has_text="Mentee")).to_have_count(0)
    page.get_by_label("Department").select_option("Finance")
    expect(results).to_contain_text("30 people")  # every fourth is a mentor, every fourth in Finance
    check(page)

    page.get_by_label("Department").select_option("")
    page.get_by_label("Role").select_option("")
    expect(results).to_contain_text("120 people · page 1 of 3")
    page.get_by_role("link", name="Next").click()
    expect(results).to_contain_text("page 2 of 3")
    expect(results).to_contain_text("51–100 of 120")
    check(page)
    page.get_by_role("link", name="Next").click()
    expect(results).to_contain_text("101–120 of 120")
    expect(results.locator("tbody tr")).to_have_count(20)
    expect(page.get_by_role("link", name="Next")).to_have_count(0)
    check(page)
    page.get_by_role("link", name="Previous").click()
    expect(results).to_contain_text("page 2 of 3")
    check(page)
