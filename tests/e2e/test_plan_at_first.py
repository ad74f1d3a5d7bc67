"""The development plan as a new pair and their program's manager first find it, in a
real browser at 390 px (a phone) and 1280 px: the empty plan says what to do next to the
pair and what is going on to the manager; a goal and a milestone of 200 characters
without a space wrap instead of widening the page. axe-checked."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_an_empty_plan_says_what_next_and_a_long_goal_fits(
    page: Page, new_context: Any, base: str, size: ViewportSize
) -> None:
    from meridian.mentorships import goals

    manager = UserFactory(time_zone="Asia/Kolkata")
    mentorship = mentoring_pair(program=ProgramFactory(managers=[manager]))
    _mentor, mentee = people(mentorship)
    url = f"{base}/mentorships/{mentorship.public_id}/goals/"
    page.set_viewport_size(size)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, url)
    expect(page.locator("#no-goals")).to_contain_text("Add the first one below")
    expect(page.get_by_role("button", name="Add the goal")).to_be_visible()
    team = new_context(viewport=size).new_page()
    sign_in_by_cookie(team.context, base, manager)
    visit(team, url)
    expect(team.locator("#no-goals")).to_have_text("The pair has not set any goals yet.")
    expect(team.locator("#goal-samples-h")).to_have_count(0)
    goals.goal_samples_save(program=mentorship.program, user=manager, titles=["Give a <b>talk</b>"])
    visit(page, url)  # the program's suggestions come first, one click each
    expect(page.locator("#no-goals")).to_contain_text("Pick one of the program's suggestions")
    suggestion = page.locator(".goal-samples button", has_text="Give a <b>talk</b>")
    above, below = suggestion.bounding_box(), page.locator("#goal-add").bounding_box()
    assert above is not None
    assert below is not None
    assert above["y"] < below["y"]
    suggestion.click()
    expect(page.get_by_role("heading", name="Give a <b>talk</b>")).to_be_visible()
    check(page)

    visit(team, url)
    expect(team.locator(".goal-list")).to_contain_text("Give a <b>talk</b>")
    expect(team.get_by_role("button", name="Add the goal")).to_have_count(0)

    goal = goals.goal_create(
        mentorship=mentorship,
        user=mentee,
        data=goals.GoalInput(title="W" * goals.MAX_TITLE, milestones=["M" * goals.MAX_TITLE]),
    )
    visit(page, url)  # at 390 px check() also finds no sideways scrolling
    expect(page.locator("#no-goals")).to_have_count(0)
    visit(page, f"{base}/goals/{goal.public_id}/")
    expect(page.locator(".milestones li")).to_have_count(1)
    visit(team, url)
    expect(team.locator(".goal-list")).to_contain_text("W" * 20)
    check(team)
