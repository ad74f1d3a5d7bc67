"""The manager's steps the other browser tests leave out, at 1280 px with JavaScript on and
axe on every page: decide several applications in a row on one page (htmx, no reload);
in the run review read why a pair was made and why not another mentor, exclude a pair,
lock one, re-run around it, compare the two runs, publish, and see the pairs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from meridian.matching.models import Exclusion, MatchRun, RunStatus
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Mentorship
from meridian.programs.models import Enrollment
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_decides_several_applications_on_one_page(page: Page, base: str) -> None:
    manager = UserFactory(name="Mona Manager")
    program = ProgramFactory(managers=[manager])
    cohort = CohortFactory(program=program, name="Autumn", status="open")
    names = ("Ada Applicant", "Bo Applicant", "Cy Applicant")
    waiting = [
        EnrollmentFactory(cohort=cohort, user=UserFactory(name=name), status="applied") for name in names
    ]
    sign_in_by_cookie(page.context, base, manager)
    visit(page, f"{base}/programs/{program.public_id}/people/?status=applied")
    page.evaluate("window.__samePage = true")  # gone if a decision reloads the page

    for enrollment, decision in zip(waiting, ("Approve", "Decline", "Approve"), strict=True):
        name = enrollment.user.name
        row = page.locator(f"#row-{enrollment.public_id}")
        row.get_by_role("button", name=f"{decision} {name}").click()
        badge = "Approved" if decision == "Approve" else "Declined"
        expect(row.locator(".badge")).to_have_text(badge)
        expect(row.get_by_role("button")).to_have_count(0)
        expect(page.locator("#messages")).to_have_text(f"{badge} {name}.")
        check(page)
    assert page.evaluate("window.__samePage") is True
    assert dict(Enrollment.objects.filter(cohort=cohort).values_list("user__name", "status")) == {
        "Ada Applicant": "approved",
        "Bo Applicant": "declined",
        "Cy Applicant": "approved",
    }
    visit(page, f"{base}/programs/{program.public_id}/people/?status=applied")
    expect(page.get_by_text("Nobody matches these filters.")).to_be_visible()


def test_a_manager_reviews_reruns_compares_and_publishes(page: Page, base: str, smtp_server) -> None:
    manager = UserFactory(name="Mona Manager")
    cohort = demo_cohort(manager, mentees=10, mentors=5)
    sign_in_by_cookie(page.context, base, manager)

    visit(page, f"{base}/cohorts/{cohort.public_id}/matching/")
    page.get_by_label("Shared hours a week, at least").fill("0")
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", name="Run 1")).to_be_visible()
    first_run = MatchRun.objects.get(cohort=cohort)
    pairs = list(first_run.proposals.select_related("mentee__user", "mentor__user").order_by("-score", "pk"))
    assert len(pairs) >= 3, first_run.error
    keep, drop, other = pairs[0], pairs[1], pairs[2]

    # Why: the pair's score, criterion by criterion.
    why = page.locator(f"#pair-{keep.pk} td details").first
    why.locator("summary").click()
    expect(why.locator(".breakdown li").first).to_be_visible()
    check(page)

    # Why not: another pair's mentor, asked by name on the mentee's alternatives page.
    page.locator(f"#pair-{keep.pk}").get_by_role("link", name=re.compile("^Alternatives")).click()
    expect(page.get_by_role("heading", name=re.compile("^Mentors for"))).to_be_visible()
    check(page)
    mentor = other.mentor.user.name
    page.get_by_label("Mentor's name").fill(mentor)
    page.get_by_role("button", name="Find").click()
    page.locator("section[aria-labelledby=ask-h]").get_by_role(
        "link", name=re.compile(re.escape(mentor))
    ).click()
    expect(page.locator("#answer-h")).to_contain_text("Why not")
    expect(page.locator("#answer-h")).to_contain_text(mentor)
    check(page)

    # Lock one pair and exclude another, then re-run around the lock.
    page.get_by_role("link", name="Back to the run").click()
    page.locator(f"#pair-{keep.pk}").get_by_role("button", name=re.compile("^Lock")).click()
    expect(page.locator(f"#pair-{keep.pk}").get_by_role("button", name=re.compile("^Locked"))).to_be_visible()
    more = page.locator(f"#pair-{drop.pk} details.inline-form").filter(
        has=page.locator("summary", has_text="More")
    )
    more.locator("summary").click()
    more.get_by_label("Never pair these two").fill("Same team")
    more.get_by_role("button", name="Exclude this pair").click()
    expect(page.locator(".message-success")).to_contain_text("will never be proposed together")
    check(page)
    assert Exclusion.objects.filter(cohort=cohort).count() == 1

    page.get_by_role("button", name="Re-run around the locked pairs").click()
    expect(page.get_by_role("heading", name="Run 2")).to_be_visible()
    check(page)
    second_run = MatchRun.objects.get(cohort=cohort, number=2)
    assert second_run.status == RunStatus.DONE
    now = dict(second_run.proposals.values_list("mentee_id", "mentor_id"))
    assert now[keep.mentee_id] == keep.mentor_id  # the locked pair stayed
    assert now.get(drop.mentee_id) != drop.mentor_id  # the excluded pair did not come back

    # Compare run 2 with run 1.
    page.get_by_role("link", name="Compare").click()
    page.get_by_label("Compare with").select_option(str(first_run.public_id))
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Run 2 against run 1")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("matched differently"))).to_be_visible()
    check(page)

    # Publish run 2, and see the pairs it started.
    page.get_by_role("link", name="Back to the run").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message-success").first).to_contain_text("Published")
    second_run.refresh_from_db()
    assert second_run.status == RunStatus.PUBLISHED
    started = Mentorship.objects.filter(cohort=cohort)
    assert started.count() == len(now)
    rows = page.locator("section[aria-labelledby=pairs-h] tbody tr")
    expect(rows).to_have_count(min(len(now), 50))
    expect(rows.filter(has_text=keep.mentee.user.name)).to_contain_text(keep.mentor.user.name)
    check(page)
    mentorship = started.get(members__enrollment=keep.mentee)
    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    expect(page.get_by_text(keep.mentor.user.name).first).to_be_visible()
    expect(page.get_by_role("heading", name="Why they were matched")).to_be_visible()  # not "you"
    expect(page.get_by_role("link", name="Find a time that suits everyone")).to_have_count(0)
