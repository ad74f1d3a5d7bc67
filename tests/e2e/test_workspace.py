"""The relationship workspace in a real browser (htmx, strict CSP), axe-checked: a mentee
goes from their home to the workspace and opens each section's own page, at 1280 and at
390 px (where the next meeting, the partner, the messages and the action items come first;
the agreement leads until both accept it); the
program's manager opens the same pair from the pairs list and sees activity, not content."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.mentorships import checkins, files, goals
from meridian.mentorships.agreement import agreement_accept, agreement_propose
from meridian.messaging.models import Thread
from meridian.messaging.services import message_send
from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import UserFactory, action_item, meeting_booked, mentoring_pair
from tests.pair_matrix import api_terms

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BODY = "Could we move Thursday by half an hour?"
LINE = "Good week: the planning session went well."


def _lived_in() -> tuple[Any, dict[str, Any]]:
    pair = mentoring_pair(
        mentor_fields={
            "name": "Lea Schröder",
            "time_zone": "Europe/Berlin",
            "profile__channels": ["Video", "Chat"],
        },
        mentee_fields={"name": "Pedro Lima", "time_zone": "America/Sao_Paulo"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user")}
    mentor, mentee = people["mentor"], people["mentee"]
    start = (timezone.now() + dt.timedelta(days=3)).replace(hour=13, minute=0, second=0, microsecond=0)
    meeting = meeting_booked(pair, start)
    agreement_propose(mentorship=pair, user=mentor, terms=api_terms(SimpleNamespace()))
    agreement_accept(mentorship=pair, user=mentee, number=1)
    thread, _ = Thread.objects.get_or_create(mentorship=pair)
    message_send(thread=thread, author=mentee, body=BODY)
    goal = goals.goal_create(mentorship=pair, user=mentee, data=goals.GoalInput(title="Lead the migration"))
    goals.goal_progress(goal=goal, user=mentor, progress=40, comment="First planning session")
    checkins.checkin_create(mentorship=pair, user=mentee, mood=4, line=LINE)
    files.shared_link_add(
        mentorship=pair, user=mentor, url="https://example.org/feedback", note="The article"
    )
    action_item(pair, "Draft the migration plan", meeting=meeting)
    return pair, people


SECTIONS = (  # (link in the workspace, the heading of the page it opens)
    ("Open the meeting", re.compile("Mentoring session")),
    ("Open the conversation", re.compile("^Messages")),
    ("All meetings and their actions", re.compile("^Meetings")),
    ("Open the agreement", re.compile("How we work together")),
    ("Open the development plan", re.compile("Development plan")),
    ("Share a link or a file", re.compile("Shared links and files")),
)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_mentee_goes_from_home_to_the_workspace_and_each_section(
    page: Page, base: str, size: Any
) -> None:
    pair, people = _lived_in()
    page.set_viewport_size(size)
    sign_in_by_cookie(page.context, base, people["mentee"])
    visit(page, f"{base}/")
    page.get_by_role("link", name="Lea Schröder").first.click()
    expect(page).to_have_url(f"{base}/mentorships/{pair.public_id}/")
    check(page)
    expect(page.locator("#next-meeting")).to_contain_text("your time (America/Sao Paulo)")
    expect(page.locator("#next-meeting")).to_contain_text("for Lea Schröder (Europe/Berlin)")
    expect(page.locator(".member")).to_contain_text("there now (Europe/Berlin)")
    expect(page.locator("#actions-section")).to_contain_text("Draft the migration plan")
    expect(page.get_by_role("progressbar", name="Progress of Lead the migration")).to_be_visible()
    if size == PHONE:  # what a phone needs most comes first, one section under another
        boxes = [
            page.locator(s).first.bounding_box()
            for s in (
                "#next-meeting",
                ".member",  # who the partner is and their clock, near the top
                "#messages-h",
                "#actions-section",
                "#agreement-section",  # agreed: it follows what the pair uses most
                "#goals-section",
            )
        ]
        tops = [box["y"] for box in boxes if box is not None]
        assert len(tops) == len(boxes)
        assert tops == sorted(tops)
    workspace = page.url
    for link, heading in SECTIONS:
        page.get_by_role("link", name=link, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check(page)
        visit(page, workspace)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_until_both_accept_the_agreement_leads_the_workspace(page: Page, base: str, size: Any) -> None:
    pair = mentoring_pair(mentor_fields={"name": "Lea Schröder"}, mentee_fields={"name": "Pedro Lima"})
    people = {m.role: m.user for m in pair.members.select_related("user")}
    agreement_propose(mentorship=pair, user=people["mentor"], terms=api_terms(SimpleNamespace()))
    page.set_viewport_size(size)
    sign_in_by_cookie(page.context, base, people["mentee"])
    visit(page, f"{base}/mentorships/{pair.public_id}/")
    check(page)
    agreement = page.locator("#agreement-section").bounding_box()
    meeting = page.locator("#next-meeting").bounding_box()
    assert agreement is not None
    assert meeting is not None
    assert agreement["y"] < meeting["y"]
    page.get_by_role("link", name="Read and accept the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("How we work together"))


def test_the_manager_opens_a_pair_from_the_pairs_list(page: Page, base: str) -> None:
    pair, _people = _lived_in()
    manager = UserFactory(name="Sofia Lindqvist")
    pair.program.managers.add(manager)
    page.set_viewport_size(DESKTOP)
    sign_in_by_cookie(page.context, base, manager)
    visit(page, f"{base}/cohorts/{pair.cohort.public_id}/pairs/")
    row = page.locator("#pairs tbody tr").first
    expect(row).to_contain_text("Agreed")
    row.get_by_role("link", name=re.compile("Lea Schröder")).click()
    expect(page).to_have_url(f"{base}/mentorships/{pair.public_id}/")
    expect(page.get_by_text("Activity only")).to_be_visible()
    expect(page.locator("#meetings-section")).to_contain_text("1 open, 0 done")
    expect(page.locator("#goals-section")).to_contain_text("Lead the migration")
    check(page)
    html = page.content()
    for secret in (BODY, LINE, "Draft the migration plan", "The article"):
        assert secret not in html
    page.set_viewport_size(PHONE)
    check(page)
