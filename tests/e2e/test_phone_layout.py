"""Every page a person acts on fits a phone (390 x 844): no sideways scrolling, and its
main action and the cells it depends on inside the viewport, with axe clean; at
1280 px the same holds. The data is demo-like: a cohort of 150 imported people, a
matching run over it, applications waiting, a mentoring pair across time zones."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Q
from playwright.sync_api import Locator, Page, ViewportSize, expect

from meridian.matching import adapter
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort
from meridian.programs.models import Enrollment
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, UserFactory, mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
SHOTS = os.environ.get("PHONE_SHOTS", "")
EVERY_DAY = "; ".join(f"{d} 06:00-22:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))


def fits(page: Page, *controls: Locator) -> None:
    """No sideways scrolling, and each control fully inside the viewport's width."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px: {scroll} px wide"
    for control in controls:
        expect(control).to_be_visible()
        box = control.bounding_box()
        assert box is not None
        where = f"{page.url} at {width} px: {control} spans {box['x']:.0f}–{box['x'] + box['width']:.0f} px"
        assert box["x"] >= 0, where
        assert box["x"] + box["width"] <= width, where


def shown_label(cell: Locator) -> str:
    """The column name a stacked table's cell shows before its value on a phone."""
    return str(cell.evaluate("el => getComputedStyle(el, '::before').content")).strip('"')


def at_both_widths(page: Page, url: str, controls: Any, name: str) -> None:
    """``url`` at 390 px then 1280 px: it fits, with ``controls(page)`` in view, axe clean.
    With PHONE_SHOTS set, a full-page screenshot of each lands in that folder."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        visit(page, url)
        if SHOTS:
            page.screenshot(path=Path(SHOTS) / f"{name}-{size['width']}.png", full_page=True)
        fits(page, *controls(page))


def manager_world() -> tuple[Any, Any, MatchRun]:
    """A manager's running cohort of 150 demo people (110 mentees, 40 mentors), six of
    whose applications wait, matched once (the run waits for review)."""
    manager = UserFactory(name="Mona Manager")
    cohort = demo_cohort(manager, mentees=110, mentors=40)
    waiting = list(cohort.enrollments.filter(role="mentee").order_by("pk").values_list("pk", flat=True)[:6])
    Enrollment.objects.filter(pk__in=waiting).update(status="applied")
    run = run_start(cohort=cohort, actor=manager, settings=adapter.default_settings(cohort))
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return manager, cohort, run


def test_a_managers_pages_fit_a_phone(page, base):
    manager, cohort, run = manager_world()
    sign_in_by_cookie(page.context, base, manager)
    program = cohort.program

    at_both_widths(
        page,
        f"{base}/cohorts/{cohort.public_id}/",
        lambda p: [
            p.get_by_role("link", name="Matching", exact=True),
            p.get_by_role("button", name="Search"),
        ],
        "cohort",
    )
    at_both_widths(
        page,
        f"{base}/programs/{program.public_id}/",
        lambda p: [
            p.get_by_role("link", name="People", exact=True),
            p.get_by_role("link", name=re.compile("application.? to review in")),
        ],
        "program",
    )
    at_both_widths(
        page,
        f"{base}/programs/{program.public_id}/people/?status=applied",
        lambda p: [
            p.locator("#results tbody tr").first.get_by_role("button", name=re.compile("^Approve")),
            p.locator("#results tbody tr").first.get_by_role("button", name=re.compile("^Decline")),
        ],
        "people",
    )
    first = run.proposals.order_by("-score", "pk").first()
    assert first is not None
    at_both_widths(
        page,
        f"{base}/runs/{run.public_id}/",
        lambda p: [
            p.get_by_role("button", name="Publish"),
            p.locator(f"#pair-{first.pk} summary").first,  # Why
            p.locator(f"#pair-{first.pk}").get_by_role("button", name=re.compile("^Lock")),  # Change
            p.locator(f"#pair-{first.pk}").get_by_role("link", name=re.compile("^Alternatives")),
        ],
        "review",
    )
    page.set_viewport_size(PHONE)
    row = page.locator(f"#pair-{first.pk}")
    assert shown_label(row.locator("td").filter(has=page.locator("summary")).first) == "Why"
    assert shown_label(row.locator("td").last) == "Change"


def test_a_participants_pages_fit_a_phone(page, base):
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "Europe/Istanbul"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user__profile")}
    for user in people.values():
        user.profile.availability = EVERY_DAY
        user.profile.save()
    CohortFactory(name="Leadership Circle 2", status="open", description="Small groups, monthly.")
    sign_in_by_cookie(page.context, base, people["mentee"])

    at_both_widths(
        page,
        f"{base}/",
        lambda p: [
            p.locator("section[aria-labelledby=mine-h] tbody tr").first.locator("td").last,  # the dates
            p.get_by_role("link", name=re.compile("^Apply")).first,
        ],
        "home",
    )
    page.set_viewport_size(PHONE)
    dates = page.locator("section[aria-labelledby=mine-h] tbody tr").first.locator("td").last
    assert shown_label(dates) == "Dates"
    at_both_widths(
        page,
        f"{base}/mentorships/{pair.public_id}/meetings/",
        lambda p: [
            p.locator("label.chip").first,  # "Propose a start"
            p.get_by_role("button", name="Propose these times"),
        ],
        "schedule",
    )
    page.set_viewport_size(PHONE)
    assert shown_label(page.locator("td").filter(has=page.locator("label.chip")).first) == "Propose a start"
    page.locator("label.chip").first.click()  # a choice on a phone is tapped, then proposed
    page.get_by_role("button", name="Propose these times").click()
    expect(page.locator(".message-success")).to_contain_text("Your proposal is on its way")
    check(page)


def test_the_cohort_page_pages_and_searches_its_members(page, base):
    manager, cohort, _run = manager_world()
    approved = cohort.enrollments.filter(status="approved").select_related("user__profile")
    sign_in_by_cookie(page.context, base, manager)
    page.set_viewport_size(PHONE)
    members = page.locator("#members")

    visit(page, f"{base}/cohorts/{cohort.public_id}/")
    expect(members).to_contain_text("144 members · page 1 of 6")
    expect(members.locator("article")).to_have_count(24)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6_000, f"{height} px tall"
    page.get_by_role("link", name="Next").click()
    expect(members).to_contain_text("page 2 of 6")
    expect(members).to_contain_text("25–48 of 144")
    check(page)

    someone = approved.order_by("user__name")[40]
    search = page.get_by_label("Search name, title or department")
    for query in (someone.user.name, someone.user.profile.title, someone.user.profile.department):
        search.fill(query)
        page.get_by_role("button", name="Search").click()
        found = approved.filter(
            Q(user__name__icontains=query)
            | Q(user__profile__title__icontains=query)
            | Q(user__profile__department__icontains=query)
        ).count()
        expect(members).to_contain_text(re.compile(rf"\b{found} members?\b"))
        cards = members.locator("article")
        expect(cards).to_have_count(min(found, 24))
        for text in cards.all_inner_texts():
            assert query.lower() in text.lower(), f"{query!r} not in {text!r}"
        check(page)
    search.fill("no such person anywhere")
    page.get_by_role("button", name="Search").click()
    expect(members).to_contain_text("Nobody in this cohort matches")
    check(page)
