"""The development plan: goals with milestones, progress with a comment each time (the
history shown with who and when, in the reader's zone), the program's suggested goals,
what the program's managers see (titles and status only), hostile input, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.mentorships import goals
from meridian.mentorships.models import Goal, GoalStatus, Milestone, ProgressUpdate, SampleGoal
from meridian.scheduling.models import ActionItem
from tests.factories import ProgramFactory, UserFactory, meeting_booked, mentoring_pair, people

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HTMX = {"HX-Request": "true"}


def _goal(mentorship: Any, user: Any, **fields: Any) -> Goal:
    data = goals.GoalInput(
        **({"title": "Speak at a meetup", "milestones": ["Pick a topic", "Submit"]} | fields)
    )
    return goals.goal_create(mentorship=mentorship, user=user, data=data)


def test_a_goal_keeps_its_milestones_in_order_and_their_state_across_edits():
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    goal = _goal(mentorship, mentee)
    first = goal.milestones.get(title="Pick a topic")
    goals.goal_milestone_mark(milestone=first, user=mentor, done=True)

    goals.goal_update(
        goal=goal,
        user=mentor,
        data=goals.GoalInput(title="Speak", milestones=["Rehearse", "Pick a topic"]),
    )

    rows = list(goal.milestones.order_by("position").values_list("title", "done_at"))
    assert [title for title, _ in rows] == ["Rehearse", "Pick a topic"]
    assert rows[1][1] is not None
    assert rows[0][1] is None
    assert not Milestone.objects.filter(title="Submit").exists()


def test_progress_needs_a_comment_and_keeps_a_history():
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    goal = _goal(mentorship, mentee)
    with pytest.raises(MeridianError, match="few words"):
        goals.goal_progress(goal=goal, user=mentee, progress=10, comment="  ")
    with pytest.raises(MeridianError, match="0 to 100"):
        goals.goal_progress(goal=goal, user=mentee, progress=101, comment="x")

    goals.goal_progress(goal=goal, user=mentee, progress=40, comment="Topic chosen")
    goals.goal_progress(goal=goal, user=mentor, progress=100, comment="Done!", status=GoalStatus.ACHIEVED)

    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (100, GoalStatus.ACHIEVED)
    assert list(goal.updates.values_list("author", "progress")) == [(mentor.pk, 100), (mentee.pk, 40)]


def test_only_current_members_change_the_plan():
    mentorship = mentoring_pair()
    stranger = UserFactory()
    with pytest.raises(MeridianError):
        _goal(mentorship, stranger)
    mentorship.status = "completed"
    mentorship.save()
    with pytest.raises(MeridianError):
        _goal(mentorship, people(mentorship)[1])
    assert not Goal.objects.exists()


def test_the_history_names_who_and_when_in_the_readers_zone(client: Any):
    mentorship = mentoring_pair(mentor_fields={"time_zone": "Asia/Tokyo", "name": "Mei Mentor"})
    mentor, mentee = people(mentorship)
    goal = _goal(mentorship, mentee)
    with time_machine.travel(dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)):
        goals.goal_progress(goal=goal, user=mentor, progress=30, comment="Good start")

    client.force_login(mentor)
    page = client.get(reverse("mentorships:goal", args=[goal.public_id])).content.decode()

    assert "Mei Mentor, 4 Mar 2030, 18:00" in page  # 09:00 UTC is 18:00 in Tokyo
    assert "Asia/Tokyo" in page
    assert 'class="w-30"' in page
    assert "style=" not in page


def test_adding_a_goal_in_the_page_with_errors_next_to_the_field(client: Any):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    url = reverse("mentorships:goals", args=[mentorship.public_id])

    refused = client.post(url, {"title": "", "milestones": "a\n" * 30}, headers=HTMX)
    assert refused.status_code == 200
    assert 'id="id_title_error"' in refused.content.decode()
    assert 'id="id_milestones_error"' in refused.content.decode()
    assert not Goal.objects.exists()

    added = client.post(url, {"title": "Lead a project", "milestones": "Scope\n\nPlan\n"}, headers=HTMX)
    goal = Goal.objects.get()
    assert added.status_code == 204
    assert added["HX-Redirect"] == reverse("mentorships:goal", args=[goal.public_id])
    assert list(goal.milestones.values_list("title", flat=True)) == ["Scope", "Plan"]


def test_progress_in_the_page_answers_the_section(client: Any):
    mentorship = mentoring_pair()
    goal = _goal(mentorship, people(mentorship)[1])
    client.force_login(people(mentorship)[0])
    url = reverse("mentorships:goal_progress", args=[goal.public_id])

    refused = client.post(url, {"progress-progress": "150", "progress-status": "active"}, headers=HTMX)
    assert "id_progress-progress_error" in refused.content.decode()
    assert "id_progress-comment_error" in refused.content.decode()

    saved = client.post(
        url,
        {"progress-progress": "55", "progress-status": "active", "progress-comment": "Halfway"},
        headers=HTMX,
    )
    assert 'id="goal-progress"' in saved.content.decode()
    assert "Halfway" in saved.content.decode()
    assert ProgressUpdate.objects.get().progress == 55


def test_the_program_suggests_goals_its_managers_keep(client: Any):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    mentorship = mentoring_pair(program=program)
    client.force_login(manager)
    url = reverse("mentorships:sample_goals", args=[program.public_id])
    assert url in client.get(reverse("programs:detail", args=[program.public_id])).content.decode()
    assert (
        client.post(url, {"titles": "Grow a network\nGrow a network\nPublic speaking\n"}).status_code == 302
    )
    assert list(SampleGoal.objects.values_list("title", flat=True)) == ["Grow a network", "Public speaking"]

    mentee = people(mentorship)[1]
    client.force_login(mentee)
    page = client.get(reverse("mentorships:goals", args=[mentorship.public_id])).content.decode()
    assert "Add from the program" in page
    assert "Add “Public speaking”</button>" in page  # reads well seen and heard
    sample = SampleGoal.objects.get(title="Public speaking")
    other = SampleGoal.objects.create(program=ProgramFactory(), title="Not ours")
    suggested = reverse("mentorships:goal_suggested", args=[mentorship.public_id])
    client.post(suggested, {"sample": other.pk})
    assert not Goal.objects.exists()
    added = client.post(suggested, {"sample": sample.pk})
    goal = Goal.objects.get()
    assert goal.title == "Public speaking"
    assert added["Location"] == reverse("mentorships:goal", args=[goal.public_id]) + "#goal-edit"


def test_managers_see_titles_and_status_never_the_content(client: Any):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    mentorship = mentoring_pair(program=program)
    goal = _goal(mentorship, people(mentorship)[1], description="Private: my burnout")
    goals.goal_progress(goal=goal, user=people(mentorship)[1], progress=20, comment="Secret comment")
    client.force_login(manager)

    listed = client.get(reverse("mentorships:goals", args=[mentorship.public_id])).content.decode()
    hub = client.get(reverse("portal:workspace", args=[mentorship.public_id])).content.decode()

    for page in (listed, hub):
        assert "Speak at a meetup" in page
        assert "Active" in page
        assert "burnout" not in page
        assert "Secret comment" not in page
        assert "Pick a topic" not in page
    assert client.get(reverse("mentorships:goal", args=[goal.public_id])).status_code == 404

    told = "The program's team sees each goal's title and status"  # the pair is told so
    client.force_login(people(mentorship)[1])
    assert told in client.get(reverse("mentorships:goals", args=[mentorship.public_id])).content.decode()
    assert told in client.get(reverse("mentorships:goal", args=[goal.public_id])).content.decode()


def test_action_items_may_name_a_goal():
    mentorship = mentoring_pair()
    goal = _goal(mentorship, people(mentorship)[1])
    item = ActionItem.objects.create(
        mentorship=mentorship, text="Draft", owner=people(mentorship)[1], goal=goal
    )
    assert list(goal.action_items.all()) == [item]
    goal.delete()
    item.refresh_from_db()
    assert item.goal is None


@pytest.mark.parametrize("count", [1, 12])
def test_the_goals_page_costs_the_same_for_1_and_12_goals(
    client: Any, django_assert_max_num_queries: Any, count: int
):
    mentorship = mentoring_pair()
    mentee = people(mentorship)[1]
    for n in range(count):
        _goal(mentorship, mentee, title=f"Goal {n}")
    client.force_login(mentee)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mentorships:goals", args=[mentorship.public_id]))
    assert response.content.decode().count('class="card goal"') == count


@HOSTILE
@given(
    title=st.text(max_size=250),
    description=st.text(max_size=4100),
    milestones=st.text(max_size=600),
    target=st.text(max_size=20),
)
def test_any_goal_form_is_saved_or_refused_in_words(
    client: Any, title: str, description: str, milestones: str, target: str
):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    before = Goal.objects.count()
    response = client.post(
        reverse("mentorships:goals", args=[mentorship.public_id]),
        {"title": title, "description": description, "milestones": milestones, "target_on": target},
        headers=HTMX,
    )
    assert response.status_code in (200, 204)
    assert Goal.objects.count() - before == (1 if response.status_code == 204 else 0)


@HOSTILE
@given(progress=st.text(max_size=8), comment=st.text(max_size=600), status=st.text(max_size=12))
def test_any_progress_form_is_saved_or_refused_in_words(
    client: Any, progress: str, comment: str, status: str
):
    mentorship = mentoring_pair()
    goal = _goal(mentorship, people(mentorship)[1])
    client.force_login(people(mentorship)[0])
    response = client.post(
        reverse("mentorships:goal_progress", args=[goal.public_id]),
        {"progress-progress": progress, "progress-comment": comment, "progress-status": status},
        headers=HTMX,
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert 0 <= goal.progress <= 100


def test_the_meeting_action_form_offers_the_pairs_active_goals(client: Any):
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    goal = _goal(mentorship, mentee)
    dropped = _goal(mentorship, mentee, title="Old plan")
    goals.goal_progress(goal=dropped, user=mentee, progress=0, comment="Not now", status=GoalStatus.DROPPED)
    soon = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    meeting = meeting_booked(mentorship, soon)
    client.force_login(mentor)

    page = client.get(reverse("scheduling:meeting", args=[meeting.public_id])).content.decode()
    assert "For the goal" in page
    assert "Speak at a meetup" in page
    assert "Old plan" not in page.split("For the goal")[1]

    url = reverse("scheduling:add_action", args=[meeting.public_id])
    data = {"action-text": "Draft the abstract", "action-owner": str(mentee.public_id)}
    client.post(url, {**data, "action-goal": str(dropped.public_id)})
    assert not ActionItem.objects.exists()  # not an active goal: refused beside the field
    client.post(url, {**data, "action-goal": str(goal.public_id)})
    assert ActionItem.objects.get().goal == goal


def test_a_new_target_date_is_today_or_later_and_a_past_one_may_stay(client: Any):
    mentorship = mentoring_pair()
    mentee = people(mentorship)[1]
    today = timezone.localdate()
    with pytest.raises(MeridianError, match="from today on") as refused:
        _goal(mentorship, mentee, target_on=today - dt.timedelta(days=1))
    assert refused.value.field == "target_on"
    assert not Goal.objects.exists()
    goal = _goal(mentorship, mentee, target_on=today)

    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        client.force_login(mentee)
        url = reverse("mentorships:goal_edit", args=[goal.public_id])
        kept = {"edit-title": "Renamed", "edit-target_on": today.isoformat()}
        assert client.post(url, kept, headers=HTMX).status_code == 204  # the old date stays
        moved = {"edit-title": "Renamed", "edit-target_on": (today + dt.timedelta(days=1)).isoformat()}
        response = client.post(url, moved, headers=HTMX)
    assert response.status_code == 200
    assert "Choose a target date from today on." in response.content.decode()
    goal.refresh_from_db()
    assert (goal.title, goal.target_on) == ("Renamed", today)


def test_an_empty_plan_says_what_it_is_to_each_reader(client: Any):
    from meridian.mentorships import closing

    manager = UserFactory()
    mentorship = mentoring_pair(program=ProgramFactory(managers=[manager]))
    mentor, mentee = people(mentorship)
    url = reverse("mentorships:goals", args=[mentorship.public_id])
    said = {
        manager: "The pair has not set any goals yet.",
        mentee: "No goals yet. Add the first one below",
    }
    for reader, words in said.items():
        client.force_login(reader)
        assert words in client.get(url).content.decode()
    thoughts = closing.Thoughts(achieved="Much", next_steps="More", recommend="yes")
    closing.mentorship_close(
        mentorship=mentorship, user=mentor, outcome="ended", reason="schedules", thoughts=thoughts
    )
    client.force_login(mentee)
    page = client.get(url).content.decode()
    assert "No goals were set in this mentorship." in page
    assert "Add the goal" not in page
