"""Who reads and writes a meeting's agenda, notes and action items, through the pages: the members read and
write (a past member reads); nobody but its author reads a private note; the program's
managers and administrators see the meeting but never its agenda, notes, recap or action
items and get 404 on every write, like everybody else; anonymous visitors sign in. Hostile
requests never cause a 500. And the conversation guide: its program's managers alone."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.text import fingerprint
from meridian.scheduling import notes_panel
from meridian.scheduling.models import ActionItem, GuideTopic, Meeting, MeetingStatus, PrivateNote
from tests.factories import UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SECRETS = ("AGENDA-SECRET", "SHARED-SECRET", "RECAP-SECRET", "PRIVATE-SECRET", "ACTION-SECRET")


@pytest.fixture
def w() -> SimpleNamespace:
    """Pair A (Ana mentors Ben) with a meeting full of notes; pair B elsewhere; the
    manager of A's program, an administrator, an outsider."""
    w = SimpleNamespace()
    w.manager = UserFactory(name="Mia Manager")
    w.admin = UserFactory(name="Adi Admin", is_staff=True)
    w.outsider = UserFactory(name="Otto Outsider")
    w.pair = mentoring_pair(mentor_fields={"name": "Ana Ruiz"}, mentee_fields={"name": "Ben Cole"})
    w.pair.program.managers.add(w.manager)
    members = {m.role: m.user for m in w.pair.members.select_related("user")}
    w.mentor, w.mentee = members["mentor"], members["mentee"]
    w.other = mentoring_pair()
    w.stranger = w.other.members.first().user  # a member of pair B
    w.meeting = Meeting.objects.create(
        mentorship=w.pair,
        minutes=45,
        status=MeetingStatus.SCHEDULED,
        starts_at=dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC),
        agenda="AGENDA-SECRET",
        shared_notes="SHARED-SECRET",
        recap="RECAP-SECRET",
    )
    PrivateNote.objects.create(meeting=w.meeting, author=w.mentee, text="PRIVATE-SECRET")
    w.action = ActionItem.objects.create(
        mentorship=w.pair, meeting=w.meeting, text="ACTION-SECRET", owner=w.mentee, created_by=w.mentor
    )
    w.other_meeting = Meeting.objects.create(mentorship=w.other, minutes=45, status=MeetingStatus.SCHEDULED)
    w.other_action = ActionItem.objects.create(
        mentorship=w.other, meeting=w.other_meeting, text="B's action", owner=w.stranger
    )
    return w


def writes(w: SimpleNamespace) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, url, data) of every write endpoint, on pair A."""
    m, a = w.meeting.public_id, w.action.public_id
    return [
        ("agenda", reverse("scheduling:save_text", args=[m, "agenda"]), {"agenda-text": "new"}),
        (
            "shared_notes",
            reverse("scheduling:save_text", args=[m, "shared_notes"]),
            {"shared_notes-text": "new"},
        ),
        ("recap", reverse("scheduling:save_text", args=[m, "recap"]), {"recap-text": "new"}),
        ("suggestion", reverse("scheduling:save_text", args=[m, "agenda"]), {"use_suggestion": "1"}),
        ("private", reverse("scheduling:private_note", args=[m]), {"private-text": "new"}),
        (
            "add_action",
            reverse("scheduling:add_action", args=[m]),
            {"action-text": "new", "action-owner": str(w.mentee.public_id)},
        ),
        ("done", reverse("scheduling:action_done", args=[a]), {"done": "1"}),
        ("delete", reverse("scheduling:action_delete", args=[a]), {}),
    ]


def names() -> list[str]:
    return ["agenda", "shared_notes", "recap", "suggestion", "private", "add_action", "done", "delete"]


def page_of(client: Any, meeting: Meeting) -> str:
    response = client.get(reverse("scheduling:meeting", args=[meeting.public_id]))
    assert response.status_code == 200
    return str(response.content.decode())


# ---------------------------------------------------------------- reading


def test_members_read_everything_but_the_partners_private_note(client, w):
    client.force_login(w.mentor)
    html = page_of(client, w.meeting)
    for secret in ("AGENDA-SECRET", "SHARED-SECRET", "RECAP-SECRET", "ACTION-SECRET"):
        assert secret in html
    assert "PRIVATE-SECRET" not in html
    assert "Private: only you can read this" in html

    client.force_login(w.mentee)
    assert "PRIVATE-SECRET" in page_of(client, w.meeting)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_administrators_see_the_meeting_never_its_notes(client, w, role):
    client.force_login(getattr(w, role))
    html = page_of(client, w.meeting)
    for secret in SECRETS:
        assert secret not in html, secret
    assert 'id="meeting-notes"' not in html
    assert notes_panel.panel_for(w.meeting, getattr(w, role)) is None


@pytest.mark.parametrize("role", ["outsider", "stranger"])
def test_people_outside_the_mentorship_do_not_find_the_meeting(client, w, role):
    client.force_login(getattr(w, role))
    assert client.get(reverse("scheduling:meeting", args=[w.meeting.public_id])).status_code == 404
    assert notes_panel.panel_for(w.meeting, getattr(w, role)) is None


def test_a_past_member_reads_but_writes_nothing(client, w):
    w.pair.status = "completed"
    w.pair.save()
    w.pair.members.update(is_current=False)
    client.force_login(w.mentee)
    html = page_of(client, w.meeting)
    assert "SHARED-SECRET" in html
    assert "PRIVATE-SECRET" in html
    assert 'name="shared_notes-text"' not in html
    assert "Add action" not in html
    for name, url, data in writes(w):
        assert client.post(url, data).status_code == 404, name


# ---------------------------------------------------------------- writing


@pytest.mark.parametrize("name", names())
@pytest.mark.parametrize("role", ["manager", "admin", "outsider", "stranger"])
def test_everybody_but_the_members_gets_404_on_every_write(client, w, role, name):
    client.force_login(getattr(w, role))
    url, data = next((u, d) for n, u, d in writes(w) if n == name)
    for headers in ({}, HTMX):
        assert client.post(url, data, headers=headers).status_code == 404
    w.meeting.refresh_from_db()
    assert (w.meeting.agenda, w.meeting.shared_notes, w.meeting.recap) == SECRETS[:3]
    assert ActionItem.objects.filter(pk=w.action.pk, done_at__isnull=True).exists()
    assert PrivateNote.objects.get(meeting=w.meeting).text == "PRIVATE-SECRET"
    assert ActionItem.objects.count() == 2


@pytest.mark.parametrize("name", names())
def test_anonymous_visitors_are_sent_to_sign_in_and_a_get_is_not_allowed(client, w, name):
    url, data = next((u, d) for n, u, d in writes(w) if n == name)
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(w.mentor)
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("name", names())
def test_a_member_writes_and_is_sent_back_to_the_meeting(client, w, name):
    Meeting.objects.filter(pk=w.meeting.pk).update(agenda="")  # a suggestion fills an empty agenda only
    client.force_login(w.mentor)
    url, data = next((u, d) for n, u, d in writes(w) if n == name)
    response = client.post(url, {**data, "meeting": str(w.meeting.public_id)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("scheduling:meeting", args=[w.meeting.public_id])


@pytest.mark.parametrize("name", names())
def test_a_member_gets_the_changed_part_back_with_htmx(client, w, name):
    Meeting.objects.filter(pk=w.meeting.pk).update(agenda="")
    client.force_login(w.mentor)
    url, data = next((u, d) for n, u, d in writes(w) if n == name)
    response = client.post(url, {**data, "meeting": str(w.meeting.public_id)}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    if name != "done":  # a ticked box speaks for itself; the others say what happened
        assert 'hx-swap-oob="innerHTML"' in html


def test_the_partner_never_reads_my_private_note_through_a_save(client, w):
    client.force_login(w.mentor)
    response = client.post(
        reverse("scheduling:private_note", args=[w.meeting.public_id]),
        {"private-text": "Ana's"},
        headers=HTMX,
    )
    assert "PRIVATE-SECRET" not in response.content.decode()
    assert set(PrivateNote.objects.values_list("author__name", "text")) == {
        ("Ben Cole", "PRIVATE-SECRET"),
        ("Ana Ruiz", "Ana's"),
    }


def test_a_member_cannot_touch_another_mentorships_actions(client, w):
    client.force_login(w.mentor)
    for name in ("action_done", "action_delete"):
        url = reverse(f"scheduling:{name}", args=[w.other_action.public_id])
        assert client.post(url, {"done": "1", "meeting": str(w.meeting.public_id)}).status_code == 404
    assert ActionItem.objects.filter(pk=w.other_action.pk, done_at__isnull=True).exists()


def test_a_member_cannot_give_an_action_to_someone_outside(client, w):
    client.force_login(w.mentor)
    url = reverse("scheduling:add_action", args=[w.meeting.public_id])
    response = client.post(url, {"action-text": "x", "action-owner": str(w.stranger.public_id)}, headers=HTMX)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert ActionItem.objects.count() == 2


def test_going_back_never_leads_to_another_mentorships_meeting(client, w):
    client.force_login(w.mentor)
    url = reverse("scheduling:action_done", args=[w.action.public_id])
    response = client.post(url, {"done": "1", "meeting": str(w.other_meeting.public_id)})
    assert response["Location"] == reverse("scheduling:meeting", args=[w.meeting.public_id])


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/{random}/notes/agenda/",
        "/meetings/not-a-uuid/notes/agenda/",
        "/meetings/{meeting}/notes/status/",
        "/meetings/{meeting}/notes/../",
        "/meetings/{random}/private-note/",
        "/meetings/{random}/actions/",
        "/actions/{random}/done/",
        "/actions/'%20OR%201=1/delete/",
        "/actions/{meeting}/done/",  # a meeting's id is no action's
    ],
)
def test_foreign_and_malformed_ids_are_404(client, w, path):
    client.force_login(w.mentor)
    url = path.format(random=uuid.uuid4(), meeting=w.meeting.public_id)
    assert client.post(url, {"agenda-text": "x"}).status_code == 404


def test_refused_input_without_htmx_keeps_what_was_typed(client, w):
    client.force_login(w.mentor)
    url = reverse("scheduling:save_text", args=[w.meeting.public_id, "recap"])
    typed = "My long recap " + "z" * 20_000
    response = client.post(url, {"recap-text": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert typed[:200] in html
    assert "at most 20000 characters" in html
    w.meeting.refresh_from_db()
    assert w.meeting.recap == "RECAP-SECRET"


def test_a_conflicting_save_shows_both_versions_and_the_next_save_goes_through(client, w):
    client.force_login(w.mentor)
    url = reverse("scheduling:save_text", args=[w.meeting.public_id, "shared_notes"])
    stale = {"shared_notes-text": "Ana's version", "shared_notes-seen": fingerprint("old")}
    html = client.post(url, stale, headers=HTMX).content.decode()
    assert "SHARED-SECRET" in html
    assert "Ana&#x27;s version" in html
    assert "saved meanwhile" in html
    seen = fingerprint("SHARED-SECRET")
    assert f'value="{seen}"' in html
    client.post(url, {"shared_notes-text": "Merged", "shared_notes-seen": seen}, headers=HTMX)
    w.meeting.refresh_from_db()
    assert w.meeting.shared_notes == "Merged"


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
JUNK = st.dictionaries(
    st.sampled_from(
        [
            "agenda-text",
            "agenda-seen",
            "private-text",
            "action-text",
            "action-owner",
            "action-due_on",
            "done",
            "meeting",
            "use_suggestion",
            "recap-text",
        ]
    ),
    st.text(max_size=50)
    | st.sampled_from(["\x00", "9999-99-99", "0001-01-01", "x" * 100_000, "' OR 1=1 --"]),
)


@SETTINGS
@given(data=JUNK, which=st.sampled_from(names()), htmx=st.booleans())
def test_hostile_posts_never_cause_a_500(client, w, data, which, htmx):
    client.force_login(w.mentor)
    url = next(u for n, u, _ in writes(w) if n == which)
    if which == "delete":
        url = reverse(
            "scheduling:action_done", args=[w.action.public_id]
        )  # keep the item for the next example
    response = client.post(url, data, headers=HTMX if htmx else {})
    assert response.status_code in (200, 302, 400)


# ---------------------------------------------------------------- query counts


@pytest.mark.parametrize("items", [1, 30])
def test_the_notes_panel_costs_seven_queries_for_any_number_of_items(w, django_assert_num_queries, items):
    GuideTopic.objects.create(program=w.pair.program, number=1, title="Start", agenda="- hello")
    for n in range(items):
        ActionItem.objects.create(mentorship=w.pair, meeting=w.meeting, text=f"item {n}", owner=w.mentor)
    meeting = Meeting.objects.select_related("mentorship").get(pk=w.meeting.pk)
    with django_assert_num_queries(7):
        context = notes_panel.panel_for(meeting, w.mentor)
    assert context is not None
    assert len(context["actions"]) == items + 1


# ---------------------------------------------------------------- the conversation guide


def guide_url(w: SimpleNamespace) -> str:
    return reverse("scheduling:guide", args=[w.pair.program.public_id])


def guide_post(w: SimpleNamespace, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "topics-TOTAL_FORMS": str(len(rows)),
        "topics-INITIAL_FORMS": str(initial),
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "52",
    }
    for i, row in enumerate(rows):
        data.update({f"topics-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_administrators_keep_the_guide(client, w, role):
    client.force_login(getattr(w, role))
    assert client.get(guide_url(w)).status_code == 200
    response = client.post(guide_url(w), guide_post(w, [{"number": "1", "title": "Start", "agenda": "- hi"}]))
    assert response.status_code == 302
    assert list(w.pair.program.guide.values_list("number", "title")) == [(1, "Start")]


@pytest.mark.parametrize("role", ["mentor", "mentee", "outsider", "stranger"])
def test_everybody_else_gets_404_on_the_guide(client, w, role):
    client.force_login(getattr(w, role))
    assert client.get(guide_url(w)).status_code == 404
    assert client.post(guide_url(w), {"example": "1"}).status_code == 404
    assert not GuideTopic.objects.exists()


def test_another_programs_manager_gets_404_on_the_guide(client, w):
    other_manager = UserFactory()
    w.other.program.managers.add(other_manager)
    client.force_login(other_manager)
    assert client.get(guide_url(w)).status_code == 404


def test_anonymous_visitors_sign_in_for_the_guide(client, w):
    response = client.get(guide_url(w))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_program_page_links_the_guide_for_its_managers_only(client, w):
    program = reverse("programs:detail", args=[w.pair.program.public_id])
    client.force_login(w.manager)
    assert guide_url(w) in client.get(program).content.decode()
    client.force_login(w.mentee)
    page = client.get(program)
    assert page.status_code == 200
    assert guide_url(w) not in page.content.decode()


def test_the_guide_starts_from_the_example_and_shows_errors_beside_the_field(client, w):
    client.force_login(w.manager)
    assert "Start from the example guide" in client.get(guide_url(w)).content.decode()
    client.post(guide_url(w), {"example": "1"})
    topics = list(w.pair.program.guide.order_by("number"))
    assert len(topics) == 6
    rows = [{"id": str(t.pk), "number": str(t.number), "title": t.title, "agenda": t.agenda} for t in topics]
    rows[1]["number"] = "1"  # a duplicate
    rows[2]["number"] = "53"  # out of range
    rows.append({"number": "", "title": "", "agenda": ""})  # the empty extra form is ignored
    response = client.post(guide_url(w), guide_post(w, rows, initial=6))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Another topic already has meeting number 1." in html
    assert "less than or equal to 52" in html
    assert 'id="id_topics-1-number_error"' in html
    assert list(w.pair.program.guide.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_the_guide_swaps_deletes_and_adds_in_one_save(client, w):
    client.force_login(w.manager)
    one = GuideTopic.objects.create(program=w.pair.program, number=1, title="One", agenda="a")
    two = GuideTopic.objects.create(program=w.pair.program, number=2, title="Two", agenda="b")
    three = GuideTopic.objects.create(program=w.pair.program, number=3, title="Three", agenda="c")
    rows = [
        {"id": str(one.pk), "number": "2", "title": "One", "agenda": "a"},
        {"id": str(two.pk), "number": "1", "title": "Two", "agenda": "b"},
        {"id": str(three.pk), "number": "3", "title": "Three", "agenda": "c", "DELETE": "on"},
        {"number": "3", "title": "New three", "agenda": "d"},
    ]
    assert client.post(guide_url(w), guide_post(w, rows, initial=3)).status_code == 302
    assert list(w.pair.program.guide.order_by("number").values_list("number", "title")) == [
        (1, "Two"),
        (2, "One"),
        (3, "New three"),
    ]


def test_the_guide_cannot_reach_another_programs_topics(client, w):
    foreign = GuideTopic.objects.create(program=w.other.program, number=1, title="B's", agenda="b")
    client.force_login(w.manager)
    rows = [{"id": str(foreign.pk), "number": "1", "title": "Hijacked", "agenda": "x"}]
    response = client.post(guide_url(w), guide_post(w, rows, initial=1))
    assert response.status_code in (302, 400)  # Django's formset skips ids outside its queryset
    assert GuideTopic.objects.get(pk=foreign.pk).title == "B's"
    assert not w.pair.program.guide.exists()
