"""A meeting's notes, action items and guide: meeting numbers, the suggested agenda and what carries
over, the limits on every text, hostile input (NUL bytes, a megabyte, any unicode, HTML),
action items, and the program's conversation guide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.text import InputRefused, fingerprint
from meridian.mentorships.models import Member
from meridian.scheduling import actions, guide, notes, notes_panel
from meridian.scheduling.models import (
    MAX_AGENDA,
    MAX_NOTE,
    ActionItem,
    GuideTopic,
    Meeting,
    MeetingStatus,
    PrivateNote,
)
from meridian.scheduling.notes import TextConflict
from tests.factories import ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
MEGABYTE = "x" * 1_048_576
HOSTILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair() -> Any:
    return mentoring_pair(
        mentor_fields={"name": "Ana Ruiz"}, mentee_fields={"name": "Ben Cole", "time_zone": "UTC"}
    )


def people(mentorship: Any) -> tuple[Any, Any]:
    members = {m.role: m.user for m in mentorship.members.select_related("user")}
    return members["mentor"], members["mentee"]


def meeting(mentorship: Any, days: int | None = 0, status: str = MeetingStatus.SCHEDULED) -> Meeting:
    starts = None if days is None else NOW + dt.timedelta(days=days)
    return Meeting.objects.create(mentorship=mentorship, minutes=45, status=status, starts_at=starts)


def topic(program: Any, number: int, title: str, agenda: str = "- talk") -> GuideTopic:
    return GuideTopic.objects.create(program=program, number=number, title=title, agenda=agenda)


# ---------------------------------------------------------------- meeting numbers


def test_it_numbers_meetings_by_the_live_ones_before_them(pair):
    first = meeting(pair, 1)
    held = meeting(pair, 8, MeetingStatus.HELD)
    cancelled = meeting(pair, 10, MeetingStatus.CANCELLED)
    missed = meeting(pair, 15, MeetingStatus.MISSED)
    proposed = meeting(pair, None, MeetingStatus.PROPOSED)
    assert [notes.meeting_number(m) for m in (first, held, cancelled, missed, proposed)] == [
        1,
        2,
        3,
        3,
        4,
    ]

    earlier = meeting(pair, -6)  # booked later, held earlier: everyone after moves up one
    assert notes.meeting_number(earlier) == 1
    assert notes.meeting_number(missed) == 4


def test_it_numbers_meetings_at_the_same_time_one_after_the_other(pair):
    a, b = meeting(pair, 3), meeting(pair, 3)
    assert sorted([notes.meeting_number(a), notes.meeting_number(b)]) == [1, 2]


def test_it_counts_only_this_mentorships_meetings(pair):
    other = mentoring_pair()
    meeting(other, 1)
    meeting(other, 2)
    assert notes.meeting_number(meeting(pair, 5)) == 1


# ---------------------------------------------------------------- the suggested agenda


def test_it_suggests_the_guide_topic_of_the_meeting_number(pair):
    topic(pair.program, 1, "Getting to know each other", "- Introductions")
    topic(pair.program, 2, "Goals", "- Two or three goals")
    topic(ProgramFactory(), 2, "Another program's goals")
    meeting(pair, 1, MeetingStatus.HELD)
    second = meeting(pair, 15)
    assert notes.suggested_agenda(second) == "Goals\n- Two or three goals"


def test_it_carries_open_action_items_over_with_owner_and_due_date(pair):
    mentor, mentee = people(pair)
    topic(pair.program, 2, "Goals", "- Two or three goals")
    first = meeting(pair, 1, MeetingStatus.HELD)
    second = meeting(pair, 15)
    actions.action_item_add(
        mentorship=pair,
        meeting=first,
        user=mentor,
        text="Send the CV",
        owner=mentee,
        due_on=dt.date(2030, 3, 10),
    )
    actions.action_item_add(
        mentorship=pair, meeting=first, user=mentor, text="Book a room", owner=mentor, due_on=None
    )
    done = actions.action_item_add(
        mentorship=pair, meeting=first, user=mentor, text="Already done", owner=mentor, due_on=None
    )
    actions.action_item_set_done(action=done, user=mentor, done=True)
    actions.action_item_add(
        mentorship=pair,
        meeting=second,
        user=mentor,
        text="Decided in this meeting",
        owner=mentor,
        due_on=None,
    )

    assert notes.suggested_agenda(second) == (
        "Goals\n- Two or three goals\n\nCarried over:\n"
        "- Send the CV (Ben Cole, due 10 Mar 2030)\n"
        "- Book a room (Ana Ruiz)"
    )


def test_it_suggests_only_the_carried_items_without_a_guide_and_nothing_without_either(pair):
    mentor, _ = people(pair)
    first = meeting(pair, 1)
    assert notes.suggested_agenda(first) == ""
    actions.action_item_add(
        mentorship=pair, meeting=first, user=mentor, text="Read the book", owner=mentor, due_on=None
    )
    assert notes.suggested_agenda(meeting(pair, 9)) == "Carried over:\n- Read the book (Ana Ruiz)"


def test_a_suggestion_fits_in_an_agenda_however_long_the_guide_and_the_list(pair):
    mentor, _ = people(pair)
    topic(pair.program, 1, "T" * 200, "A" * MAX_AGENDA)
    earlier = meeting(pair, -30, MeetingStatus.CANCELLED)
    for n in range(30):
        actions.action_item_add(
            mentorship=pair,
            meeting=earlier,
            user=mentor,
            text=f"Item {n} " + "y" * 400,
            owner=mentor,
            due_on=None,
        )
    text = notes.suggested_agenda(meeting(pair, 1))
    assert len(text) <= MAX_AGENDA
    notes.agenda_use_suggested(meeting=meeting(pair, 2), user=mentor)  # never refused as too long


def test_the_notes_panel_shows_the_suggestion_only_while_the_agenda_is_empty(pair):
    mentor, _ = people(pair)
    topic(pair.program, 1, "Getting to know each other")
    first = meeting(pair, 1)
    context = notes_panel.panel_for(first, mentor)
    assert context is not None
    assert context["suggestion"].startswith("Getting to know each other")
    assert context["number"] == 1
    assert context["topic"].title == "Getting to know each other"

    notes.agenda_use_suggested(meeting=first, user=mentor)
    first.refresh_from_db()
    assert first.agenda.startswith("Getting to know each other")
    context = notes_panel.panel_for(first, mentor)
    assert context is not None
    assert context["suggestion"] == ""


def test_using_the_suggestion_never_overwrites_an_agenda_written_meanwhile(pair):
    mentor, mentee = people(pair)
    topic(pair.program, 1, "Getting to know each other")
    first = meeting(pair, 1)
    stale = Meeting.objects.get(pk=first.pk)
    notes.meeting_text_save(meeting=first, user=mentee, field="agenda", text="Ben's own agenda")
    with pytest.raises(TextConflict) as caught:
        notes.agenda_use_suggested(meeting=stale, user=mentor)
    assert caught.value.theirs == "Ben's own agenda"
    first.refresh_from_db()
    assert first.agenda == "Ben's own agenda"


# ---------------------------------------------------------------- texts and their limits


@pytest.mark.parametrize(
    ("field", "limit"), [("agenda", MAX_AGENDA), ("shared_notes", MAX_NOTE), ("recap", MAX_NOTE)]
)
def test_it_takes_a_text_up_to_its_limit_and_refuses_one_character_more(pair, field, limit):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    notes.meeting_text_save(meeting=m, user=mentor, field=field, text="é" * limit)
    assert getattr(Meeting.objects.get(pk=m.pk), field) == "é" * limit
    with pytest.raises(InputRefused, match="too long"):
        notes.meeting_text_save(meeting=m, user=mentor, field=field, text="z" * (limit + 1))
    assert getattr(Meeting.objects.get(pk=m.pk), field) == "é" * limit  # all or nothing


def test_it_counts_a_line_break_once_whatever_the_browser_sends(pair):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    text = "a\r\n" * (MAX_AGENDA // 2)
    notes.meeting_text_save(meeting=m, user=mentor, field="agenda", text=text)
    assert Meeting.objects.get(pk=m.pk).agenda == ("a\n" * (MAX_AGENDA // 2)).strip()


@pytest.mark.parametrize("field", ["agenda", "shared_notes", "recap", "private"])
def test_it_refuses_a_nul_byte_and_a_megabyte_and_keeps_what_was_there(pair, field):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    save = (
        (lambda text: notes.private_note_save(meeting=m, user=mentor, text=text))
        if field == "private"
        else (lambda text: notes.meeting_text_save(meeting=m, user=mentor, field=field, text=text))
    )
    save("kept")
    with pytest.raises(InputRefused, match="NUL character"):
        save("before\x00after")
    with pytest.raises(InputRefused, match="too long"):
        save(MEGABYTE)
    with pytest.raises(InputRefused, match="cannot be saved"):
        save("lone surrogate \ud800")
    if field == "private":
        assert PrivateNote.objects.get(meeting=m, author=mentor).text == "kept"
    else:
        assert getattr(Meeting.objects.get(pk=m.pk), field) == "kept"


def test_it_refuses_a_field_a_meeting_has_not(pair):
    mentor, _ = people(pair)
    with pytest.raises(InputRefused):
        notes.meeting_text_save(meeting=meeting(pair, 1), user=mentor, field="status", text="held")


@HOSTILE
@given(
    text=st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), min_size=4990, max_size=5010)
)
def test_any_text_is_saved_as_cleaned_or_refused_whole(pair, text):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    notes.meeting_text_save(meeting=m, user=mentor, field="agenda", text="before")
    try:
        notes.meeting_text_save(meeting=m, user=mentor, field="agenda", text=text)
    except InputRefused:
        assert "\x00" in text or len(text.replace("\r\n", "\n").strip()) > MAX_AGENDA
        assert Meeting.objects.get(pk=m.pk).agenda == "before"
    else:
        expected = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        assert Meeting.objects.get(pk=m.pk).agenda == expected


@HOSTILE
@given(text=st.text(min_size=1, max_size=600))
def test_any_action_text_is_saved_or_refused_with_a_reason(pair, text):
    mentor, _ = people(pair)
    before = ActionItem.objects.count()
    try:
        item = actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text=text, owner=mentor, due_on=None
        )
    except InputRefused as error:
        assert str(error)  # noqa: PT017
        assert ActionItem.objects.count() == before
    else:
        assert (
            ActionItem.objects.get(pk=item.pk).text == text.replace("\r\n", "\n").replace("\r", "\n").strip()
        )


def test_it_keeps_any_unicode_as_written(pair):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    text = "Ziele 🎯 — مرحبا بكم · 日本語 · e\u0301 · 👩🏽‍💻"
    notes.meeting_text_save(meeting=m, user=mentor, field="shared_notes", text=text)
    notes.private_note_save(meeting=m, user=mentor, text=text)
    item = actions.action_item_add(
        mentorship=pair, meeting=m, user=mentor, text=text, owner=mentor, due_on=None
    )
    assert Meeting.objects.get(pk=m.pk).shared_notes == text
    assert PrivateNote.objects.get(meeting=m).text == text
    assert ActionItem.objects.get(pk=item.pk).text == text


def test_html_and_scripts_are_shown_as_text(client, pair):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    for field in ("shared_notes", "recap"):
        notes.meeting_text_save(meeting=m, user=mentor, field=field, text=attack)
    notes.private_note_save(meeting=m, user=mentor, text=attack)
    actions.action_item_add(mentorship=pair, meeting=m, user=mentor, text=attack, owner=mentor, due_on=None)
    topic(pair.program, 2, attack, attack)
    actions.action_item_add(
        mentorship=pair, meeting=m, user=mentor, text="carried " + attack, owner=mentor, due_on=None
    )
    client.force_login(mentor)
    html = client.get(reverse("scheduling:meeting", args=[meeting(pair, 9).public_id])).content.decode()
    html += client.get(reverse("scheduling:meeting", args=[m.public_id])).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_a_conflicting_save_is_refused_and_an_identical_one_is_not(pair):
    mentor, mentee = people(pair)
    m = meeting(pair, 1)
    seen = fingerprint("")
    notes.meeting_text_save(meeting=m, user=mentee, field="shared_notes", text="Ben's notes", seen=seen)
    with pytest.raises(TextConflict) as caught:
        notes.meeting_text_save(meeting=m, user=mentor, field="shared_notes", text="Ana's notes", seen=seen)
    assert caught.value.theirs == "Ben's notes"
    notes.meeting_text_save(
        meeting=m, user=mentor, field="shared_notes", text="Ben's notes", seen=seen
    )  # the same text: no conflict
    notes.meeting_text_save(
        meeting=m, user=mentor, field="shared_notes", text="Both", seen=fingerprint("Ben's notes")
    )
    assert Meeting.objects.get(pk=m.pk).shared_notes == "Both"


# ---------------------------------------------------------------- private notes


def test_a_private_note_is_one_per_author_and_goes_when_emptied(pair):
    mentor, mentee = people(pair)
    m = meeting(pair, 1)
    notes.private_note_save(meeting=m, user=mentor, text="first")
    notes.private_note_save(meeting=m, user=mentor, text="second")
    notes.private_note_save(meeting=m, user=mentee, text="Ben's")
    assert PrivateNote.objects.get(meeting=m, author=mentor).text == "second"
    assert PrivateNote.objects.filter(meeting=m).count() == 2
    assert notes.private_note_save(meeting=m, user=mentor, text="   ") is None
    assert not PrivateNote.objects.filter(meeting=m, author=mentor).exists()


def test_the_notes_panel_holds_my_private_note_and_never_my_partners(pair):
    mentor, mentee = people(pair)
    m = meeting(pair, 1)
    notes.private_note_save(meeting=m, user=mentee, text="Ben's secret")
    theirs = notes_panel.panel_for(m, mentor)
    mine = notes_panel.panel_for(m, mentee)
    assert theirs is not None
    assert mine is not None
    assert theirs["private"].text == ""
    assert mine["private"].text == "Ben's secret"


# ---------------------------------------------------------------- action items


def test_an_action_owner_must_be_a_current_member(pair):
    mentor, mentee = people(pair)
    with pytest.raises(InputRefused, match="current member") as caught:
        actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text="Call", owner=UserFactory(), due_on=None
        )
    assert caught.value.field == "owner"
    Member.objects.filter(mentorship=pair, user=mentee).update(is_current=False)
    with pytest.raises(InputRefused, match="current member"):
        actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text="Call", owner=mentee, due_on=None
        )


def test_a_due_date_lies_between_the_start_and_two_years_ahead(pair):
    mentor, _ = people(pair)
    start = pair.started_on
    with pytest.raises(InputRefused, match="before this mentorship started") as caught:
        actions.action_item_add(
            mentorship=pair,
            meeting=None,
            user=mentor,
            text="Old",
            owner=mentor,
            due_on=start - dt.timedelta(days=1),
        )
    assert caught.value.field == "due_on"
    with pytest.raises(InputRefused, match="more than two years ahead"):
        actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text="Far", owner=mentor, due_on=dt.date(2032, 3, 6)
        )
    with pytest.raises(InputRefused, match="more than two years ahead"):
        actions.action_item_add(
            mentorship=pair,
            meeting=None,
            user=mentor,
            text="Typo",
            owner=mentor,
            due_on=dt.date(9999, 12, 31),
        )
    assert (
        actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text="Today", owner=mentor, due_on=start
        ).due_on
        == start
    )
    assert actions.action_item_add(
        mentorship=pair, meeting=None, user=mentor, text="Edge", owner=mentor, due_on=dt.date(2032, 3, 4)
    )


def test_an_action_needs_words_and_its_own_mentorships_meeting(pair):
    mentor, _ = people(pair)
    with pytest.raises(InputRefused, match="Write what is to be done"):
        actions.action_item_add(
            mentorship=pair, meeting=None, user=mentor, text="  \n ", owner=mentor, due_on=None
        )
    with pytest.raises(InputRefused, match="another mentorship"):
        actions.action_item_add(
            mentorship=pair,
            meeting=meeting(mentoring_pair(), 1),
            user=mentor,
            text="Call",
            owner=mentor,
            due_on=None,
        )
    assert ActionItem.objects.count() == 0


def test_ticking_done_keeps_the_first_time_and_unticking_reopens(pair, clock):
    mentor, mentee = people(pair)
    item = actions.action_item_add(
        mentorship=pair, meeting=None, user=mentor, text="Call", owner=mentee, due_on=None
    )
    actions.action_item_set_done(action=item, user=mentee, done=True)
    first = item.done_at
    clock.shift(dt.timedelta(hours=2))
    actions.action_item_set_done(action=item, user=mentor, done=True)
    assert item.done_at == first == NOW
    actions.action_item_set_done(action=item, user=mentor, done=False)
    assert ActionItem.objects.get(pk=item.pk).done_at is None


def test_overdue_means_open_and_due_before_today(pair):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    late = ActionItem.objects.create(
        mentorship=pair, meeting=m, text="late", owner=mentor, due_on=dt.date(2030, 3, 3)
    )
    today = ActionItem.objects.create(
        mentorship=pair, meeting=m, text="today", owner=mentor, due_on=dt.date(2030, 3, 4)
    )
    done = ActionItem.objects.create(
        mentorship=pair, meeting=m, text="done", owner=mentor, due_on=dt.date(2030, 1, 1), done_at=NOW
    )
    rows = {r.item.text: r.overdue for r in actions.action_rows(m, [late, today, done])}
    assert rows == {"late": True, "today": False, "done": False}


def test_the_notes_panel_lists_open_items_first_on_every_database(pair):
    mentor, _ = people(pair)
    earlier, m = meeting(pair, -7, MeetingStatus.HELD), meeting(pair, 1)
    done = actions.action_item_add(
        mentorship=pair, meeting=m, user=mentor, text="done here", owner=mentor, due_on=dt.date(2030, 3, 5)
    )
    actions.action_item_set_done(action=done, user=mentor, done=True)
    actions.action_item_add(
        mentorship=pair, meeting=m, user=mentor, text="no date", owner=mentor, due_on=None
    )
    actions.action_item_add(
        mentorship=pair, meeting=earlier, user=mentor, text="soon", owner=mentor, due_on=dt.date(2030, 3, 6)
    )
    old_done = actions.action_item_add(
        mentorship=pair, meeting=earlier, user=mentor, text="done before", owner=mentor, due_on=None
    )
    actions.action_item_set_done(action=old_done, user=mentor, done=True)
    context = notes_panel.panel_for(m, mentor)
    assert context is not None
    assert [(r.item.text, r.carried) for r in context["actions"]] == [
        ("soon", True),
        ("no date", False),
        ("done here", False),
    ]


def test_deleting_an_action_removes_it(pair):
    mentor, _ = people(pair)
    item = actions.action_item_add(
        mentorship=pair, meeting=None, user=mentor, text="Call", owner=mentor, due_on=None
    )
    actions.action_item_delete(action=item, user=mentor)
    assert not ActionItem.objects.filter(pk=item.pk).exists()


def test_the_services_refuse_people_who_do_not_take_part(pair):
    mentor, _ = people(pair)
    m = meeting(pair, 1)
    item = actions.action_item_add(
        mentorship=pair, meeting=m, user=mentor, text="Call", owner=mentor, due_on=None
    )
    outsider = UserFactory()
    for attempt in (
        lambda: notes.meeting_text_save(meeting=m, user=outsider, field="agenda", text="x"),
        lambda: notes.private_note_save(meeting=m, user=outsider, text="x"),
        lambda: actions.action_item_add(
            mentorship=pair, meeting=m, user=outsider, text="x", owner=mentor, due_on=None
        ),
        lambda: actions.action_item_set_done(action=item, user=outsider, done=True),
        lambda: actions.action_item_delete(action=item, user=outsider),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    pair.status = "completed"
    pair.save()
    with pytest.raises(PermissionDenied):
        notes.meeting_text_save(meeting=m, user=mentor, field="agenda", text="after the end")


# ---------------------------------------------------------------- the conversation guide


def test_the_example_guide_has_six_topics_and_seeding_twice_adds_nothing(pair):
    assert guide.guide_seed(program=pair.program) == 6
    assert guide.guide_seed(program=pair.program) == 0
    titles = list(pair.program.guide.values_list("number", "title"))
    assert titles[0] == (1, "Getting to know each other")
    assert titles[-1] == (6, "Reflection and next steps")
    assert all(t.agenda for t in pair.program.guide.all())


def test_seeding_leaves_a_managers_own_topics_alone(pair):
    topic(pair.program, 2, "Our own goals session")
    assert guide.guide_seed(program=pair.program) == 5
    assert pair.program.guide.get(number=2).title == "Our own goals session"


def test_two_topics_may_swap_numbers_in_one_save(pair):
    one, two = topic(pair.program, 1, "One"), topic(pair.program, 2, "Two")
    one.number, two.number = 2, 1
    guide.guide_save(program=pair.program, topics=[one, two], deleted=[])
    assert list(pair.program.guide.order_by("number").values_list("title", flat=True)) == ["Two", "One"]


def test_a_duplicate_number_saves_nothing(pair):
    one, two = topic(pair.program, 1, "One"), topic(pair.program, 2, "Two")
    one.title, one.number = "Renamed", 2
    with pytest.raises(InputRefused, match="same meeting number"):
        guide.guide_save(program=pair.program, topics=[one], deleted=[])
    assert dict(pair.program.guide.values_list("number", "title")) == {1: "One", 2: "Two"}
    two.number = 99
    with pytest.raises(InputRefused, match="1 to 52"):
        guide.guide_save(program=pair.program, topics=[two], deleted=[])
