"""Self-select in a real browser: a mentee reads their recommendations and asks a mentor,
the mentor accepts from their requests page, and the mentee finds the mentorship."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meridian.matching.models import MentorRequest, RequestStatus
from meridian.matching.tests.test_selfselect import friendly_cohort
from tests.e2e.support import check, sign_in_by_cookie, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mentee_asks_a_mentor_who_accepts(page, new_context, base, smtp_server):
    cohort = friendly_cohort(mentees=4, mentors=4)
    mentee = cohort.enrollments.filter(role="mentee").select_related("user").first()
    sign_in_by_cookie(page.context, base, mentee.user)

    visit(page, f"{base}/cohorts/{cohort.public_id}/")
    page.get_by_role("link", name="Choose your mentor").click()
    expect(page.get_by_role("heading", name="Choose your mentor")).to_be_visible()
    check(page)
    first = page.locator("article.card").first
    name = first.locator("h3").inner_text()
    first.get_by_text("The score, criterion by criterion").click()
    expect(first.get_by_text("Shared working hours")).to_be_visible()
    expect(first.locator(".breakdown").get_by_text(re.compile("your time"))).to_be_visible()
    check(page)

    page.get_by_role("button", name="Ask the mentors I ticked").click()  # nothing ticked
    expect(page.locator(".errors-summary").last).to_contain_text("Tick at least one mentor")
    check(page)
    page.get_by_label(f"Ask {name}").check()
    page.get_by_label("A note to the mentors you ask (optional)").fill("I would love to learn SQL from you.")
    page.get_by_role("button", name="Ask the mentors I ticked").click()
    expect(page.locator(".message-success")).to_contain_text(name)
    expect(page.get_by_text("Asked: waiting for an answer")).to_be_visible()
    check(page)
    request = MentorRequest.objects.select_related("mentor__user").get(mentee=mentee)
    assert request.mentor.user.name == name
    assert any(request.mentor.user.email in m["To"] for m in smtp_server.messages())

    theirs = new_context().new_page()
    sign_in_by_cookie(theirs.context, base, request.mentor.user)
    visit(theirs, f"{base}/requests/")
    card = theirs.locator(f"#request-{request.public_id}")
    expect(card).to_contain_text("I would love to learn SQL from you.")
    expect(card).to_contain_text("Answer by")
    card.get_by_label("A note back (optional):").fill("Happy to. Talk soon!")
    card.get_by_role("button", name=re.compile("^Accept")).click()
    expect(theirs.locator(".message-success")).to_contain_text("You are now mentoring")
    check(theirs)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert any(mentee.user.email in m["To"] for m in smtp_server.messages())

    visit(page, f"{base}/mentorships/")
    expect(page.get_by_text(name).first).to_be_visible()
    visit(page, f"{base}/cohorts/{cohort.public_id}/mentors/")
    expect(page.get_by_role("heading", name="You have a mentor")).to_be_visible()
    expect(page.get_by_text("Happy to. Talk soon!")).to_be_visible()
