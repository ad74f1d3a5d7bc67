"""A meeting's agenda, notes and action items in a real browser: take the agenda the program's guide suggests,
write shared and private notes, add, tick and delete action items (all with htmx, checked
with axe after each change); the partner never sees the private note, the manager sees
none of it; the manager keeps the conversation guide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meridian.scheduling import guide, notes
from meridian.scheduling.models import ActionItem, Meeting, MeetingStatus
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import UserFactory, mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair() -> Any:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "Europe/Berlin"},
    )
    guide.guide_seed(program=mentorship.program)
    return mentorship


def person(mentorship: Any, role: str) -> Any:
    return mentorship.members.select_related("user").get(role=role).user


def a_meeting(mentorship: Any) -> Meeting:
    return Meeting.objects.create(
        mentorship=mentorship,
        minutes=45,
        status=MeetingStatus.SCHEDULED,
        starts_at=timezone.now() + dt.timedelta(days=3),
    )


def test_a_member_works_through_a_meeting(page: Page, new_context: Any, base: str, pair: Any) -> None:
    mentee, mentor = person(pair, "mentee"), person(pair, "mentor")
    meeting = a_meeting(pair)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/meetings/{meeting.public_id}/")
    messages = page.locator("#messages")

    # The guide's first topic is offered while the agenda is empty.
    agenda = page.locator("#ws-agenda")
    expect(agenda).to_contain_text("Suggested from the program guide")
    # Read before the click: on SQLite a read while the server writes can find the table locked.
    suggested = notes.suggested_agenda(Meeting.objects.get(pk=meeting.pk))
    agenda.get_by_role("button", name="Use this agenda").click()
    expect(page.get_by_label("Agenda", exact=True)).to_have_value(suggested)
    expect(agenda).not_to_contain_text("Suggested from the program guide")
    expect(messages).to_contain_text("The agenda is saved.")
    check(page)

    page.get_by_label("Shared notes", exact=True).fill("We agreed to meet every two weeks.")
    page.get_by_role("button", name="Save shared notes").click()
    expect(messages).to_contain_text("The shared notes are saved.")
    expect(page.locator("#ws-private")).to_contain_text("Private: only you can read this")
    page.get_by_label("My private note", exact=True).fill("Ask about the promotion <b>carefully</b>.")
    page.get_by_role("button", name="Save my private note").click()
    expect(messages).to_contain_text("Your private note is saved.")
    check(page)

    # A due date in the past is refused beside the field; then an action is added.
    actions = page.locator("#ws-actions")
    page.get_by_label("New action").fill("Send Ana the CV draft")
    page.get_by_label("Owner").select_option(label="Ben Cole")
    page.get_by_label("Due").fill("2001-01-01")
    page.get_by_role("button", name="Add action").click()
    expect(actions.locator(".errorlist")).to_contain_text("before this mentorship started")
    expect(page.get_by_label("New action")).to_have_value("Send Ana the CV draft")
    check(page)
    page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add action").click()
    row = actions.locator("tbody tr", has_text="Send Ana the CV draft")
    expect(row).to_contain_text("Ben Cole")
    expect(page.get_by_label("New action")).to_have_value("")
    check(page)

    # Ticking it off (htmx, no page load) sticks.
    page.get_by_label("Done: Send Ana the CV draft").check()
    expect(row).to_have_class("ws-done")
    item = ActionItem.objects.get(text="Send Ana the CV draft")
    assert item.done_at is not None
    assert item.owner == mentee
    check(page)

    # The partner sees the shared work and not the private note.
    other = new_context().new_page()  # the partner, in another browser profile
    sign_in_by_cookie(other.context, base, mentor)
    visit(other, f"{base}/meetings/{meeting.public_id}/")
    expect(other.get_by_label("Shared notes", exact=True)).to_have_value("We agreed to meet every two weeks.")
    expect(other.locator("#ws-actions")).to_contain_text("Send Ana the CV draft")
    expect(other.get_by_label("My private note", exact=True)).to_have_value("")
    assert "promotion" not in other.content()

    # Deleting asks first.
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete Send Ana the CV draft").click()
    expect(row).to_have_count(0)
    expect(messages).to_contain_text("Deleted the action")
    assert not ActionItem.objects.exists()
    check(page)

    page.reload()
    expect(page.get_by_label("My private note", exact=True)).to_have_value(
        "Ask about the promotion <b>carefully</b>."
    )


def test_an_open_action_carries_over_and_shows_overdue(page: Page, base: str, pair: Any) -> None:
    mentee, mentor = person(pair, "mentee"), person(pair, "mentor")
    first = Meeting.objects.create(
        mentorship=pair,
        minutes=45,
        status=MeetingStatus.HELD,
        starts_at=timezone.now() - dt.timedelta(days=9),
    )
    ActionItem.objects.create(
        mentorship=pair,
        meeting=first,
        text="Read the chapter on feedback",
        owner=mentor,
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    second = a_meeting(pair)
    sign_in_by_cookie(page.context, base, mentee)
    visit(page, f"{base}/meetings/{second.public_id}/")
    suggestion = page.locator(".ws-suggestion")
    expect(suggestion).to_contain_text("Goals")
    expect(suggestion).to_contain_text("Carried over:")
    expect(suggestion).to_contain_text("Read the chapter on feedback (Ana Ruiz, due")
    row = page.locator("#ws-actions tbody tr", has_text="Read the chapter on feedback")
    expect(row).to_contain_text("overdue")
    expect(row).to_contain_text("from an earlier meeting")


def test_the_manager_sees_no_meeting_notes_and_keeps_the_guide(page: Page, base: str, pair: Any) -> None:
    manager = UserFactory(name="Mia Manager")
    pair.program.managers.add(manager)
    meeting = a_meeting(pair)
    notes.meeting_text_save(
        meeting=meeting, user=person(pair, "mentor"), field="shared_notes", text="Only for the pair"
    )
    sign_in_by_cookie(page.context, base, manager)
    visit(page, f"{base}/meetings/{meeting.public_id}/")
    expect(page.locator("#meeting-notes")).to_have_count(0)
    assert "Only for the pair" not in page.content()

    visit(page, f"{base}/programs/{pair.program.public_id}/")
    page.get_by_role("link", name="Conversation guide").click()
    expect(page.get_by_role("heading", name="Conversation guide")).to_be_visible()
    check(page)
    first = page.get_by_role("group", name="Meeting 1", exact=True)
    first.get_by_label("Topic:", exact=True).fill("Meeting each other")
    page.get_by_role("group", name="Meeting 2", exact=True).get_by_label("Meeting number:", exact=True).fill(
        "1"
    )
    page.get_by_role("button", name="Save the guide").click()
    expect(page.locator(".errors-summary").first).to_be_visible()
    expect(page.get_by_role("group", name="Meeting 2", exact=True)).to_contain_text(
        "Another topic already has meeting number 1."
    )
    check(page)
    page.get_by_role("group", name="Meeting 2", exact=True).get_by_label("Meeting number:", exact=True).fill(
        "2"
    )
    page.get_by_role("button", name="Save the guide").click()
    expect(page.locator("#messages")).to_contain_text("The conversation guide is saved.")
    assert pair.program.guide.get(number=1).title == "Meeting each other"
    check(page)
