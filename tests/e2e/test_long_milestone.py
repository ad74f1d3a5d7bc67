"""A milestone written without spaces starts on its checkbox's line and wraps there,
instead of dropping below the checkbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from meridian.mentorships import goals
from tests.e2e.support import PHONE, check, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_milestone_without_spaces_wraps_beside_its_checkbox(page: Page, base: str) -> None:
    pair = mentoring_pair()
    mentee = pair.members.get(role="mentee").user
    goal = goals.goal_create(
        mentorship=pair, user=mentee, data=goals.GoalInput(title="Speak", milestones=["M" * 200])
    )
    page.set_viewport_size(PHONE)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/goals/{goal.public_id}/")
    box = page.locator(".milestones input[type=checkbox]").bounding_box()
    label = page.locator(".milestones label").bounding_box()
    assert box is not None
    assert label is not None
    assert label["y"] < box["y"] + box["height"]  # its first line is the checkbox's line
    check(page)
