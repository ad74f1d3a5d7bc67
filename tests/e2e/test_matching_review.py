"""A manager runs matching over a cohort, reviews the pairs (weights, lock, alternatives
with their cost, a move), publishes, and the people find their mentorship."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Member
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_runs_reviews_and_publishes_matching(page, new_context, base, smtp_server):
    manager = UserFactory(name="Mona Manager")
    cohort = demo_cohort(manager, mentees=16, mentors=6)
    sign_in_by_cookie(page.context, base, manager)

    visit(page, f"{base}/cohorts/{cohort.public_id}/")
    page.get_by_role("link", name="Matching").click()
    check(page)
    expect(page.get_by_role("heading", name="Run matching")).to_be_visible()
    page.get_by_label("Skills offered against skills wanted").fill("3")
    page.get_by_label("Shared hours a week, at least").fill("0")
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", name="Run 1")).to_be_visible()
    run = MatchRun.objects.get(cohort=cohort)
    assert run.status == RunStatus.DONE
    assert run.settings["weights"]["skills"] == 3.0
    assert run.settings["constraints"]["min_shared_hours"] == 0
    expect(page.get_by_text("Proven optimal")).to_be_visible()
    check(page)

    first = run.proposals.order_by("-score", "pk").first()
    assert first is not None
    row = page.locator(f"#pair-{first.pk}")
    row.get_by_role("button", name=re.compile("^Lock")).click()
    expect(row.get_by_role("button", name=re.compile("^Locked"))).to_have_attribute("aria-pressed", "true")
    first.refresh_from_db()
    assert first.locked

    second = run.proposals.order_by("-score", "pk")[1]
    page.locator(f"#pair-{second.pk}").get_by_role("link", name=re.compile("^Alternatives")).click()
    expect(page.get_by_role("heading", name=re.compile("^Mentors for"))).to_be_visible()
    check(page)
    # an alternative the mentee may move to: its row says what the move costs
    row_cost = page.locator("tbody tr").filter(has=page.locator(".cost")).first
    listed = row_cost.locator(".cost").inner_text()
    row_cost.get_by_role("link", name=re.compile("^What would it cost")).click()
    expect(page.locator("#answer-h")).to_contain_text("Why not")
    check(page)
    preview = page.locator("[data-change]")
    delta, after = preview.locator("[data-delta]").inner_text(), preview.locator("[data-after]").inner_text()
    moved = int(preview.locator("[data-moved]").get_attribute("data-moved") or "0")
    assert listed == f"total {delta}"
    assert moved == preview.locator(".moves li").count() >= 1
    run.refresh_from_db()
    before = dict(run.proposals.values_list("mentee_id", "mentor_id"))
    page.get_by_role("button", name=re.compile("^Move to")).click()
    message = page.locator(".message-success")
    expect(message).to_contain_text(f"→ {after} ({delta})")  # the figures the preview showed
    expect(message).to_contain_text("below the engine's optimum")
    run.refresh_from_db()
    now = dict(run.proposals.values_list("mentee_id", "mentor_id"))
    assert f"{run.total:.2f}" == after
    assert sum(before.get(m) != now.get(m) for m in before.keys() | now.keys()) == moved
    second.refresh_from_db()
    assert second.edited

    # the swaps allowed for a pair, with their cost, before trying one
    visit(page, f"{base}/runs/{run.public_id}/")
    expect(page.locator(".stat", has_text="Total score")).to_contain_text(after)  # the report is fresh
    pair = run.proposals.filter(locked=False).order_by("-score", "pk").first()
    assert pair is not None
    panel = page.locator(f"#pair-{pair.pk} details.swap-panel")
    panel.locator("summary").click()
    options = panel.locator(".swap-options li")
    expect(options.first).to_contain_text("Swap mentors with")
    check(page)
    cost = options.first.locator(".cost").inner_text()
    assert re.fullmatch(r"total [+−±]\d+\.\d\d", cost), cost
    options.first.get_by_role("button", name=re.compile("^Swap")).click()
    expect(page.locator(".message-success")).to_contain_text(f"({cost.removeprefix('total ')})")

    visit(page, f"{base}/runs/{run.public_id}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".message-success").first).to_contain_text("Published")
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    check(page)

    mentee = Member.objects.filter(role="mentee", mentorship__cohort=cohort).select_related("user").first()
    assert mentee is not None
    assert any(mentee.user.email in m["To"] for m in smtp_server.messages())
    theirs = new_context().new_page()
    sign_in_by_cookie(theirs.context, base, mentee.user)
    visit(theirs, f"{base}/mentorships/")
    theirs.locator(".card h2 a").first.click()
    expect(theirs.get_by_role("heading", name="Why you were matched")).to_be_visible()
    check(theirs)
