"""Closing a mentorship: either member closes it with a category and a reflection, all or
nothing; the partner is told and adds their own reflection; the mentee may be matched
again, never with the former mentor; the program team sees when, by whom and why in
categories, never a reflection. Bad input gets a reason beside the field, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import Conflict, MeridianError
from meridian.core.models import OutboundEmail
from meridian.mentorships import closing
from meridian.mentorships.models import Closure, Member, MentorshipStatus, Reflection
from meridian.mentorships.services import has_current_mentorship, start
from tests.factories import EnrollmentFactory, UserFactory, people

SAID = closing.Thoughts(achieved="A promotion plan", next_steps="Practise talks", recommend="yes")


def close(pair, user, **asked):
    how = {"outcome": "ended", "reason": "schedules", "thoughts": SAID, **asked}
    return closing.mentorship_close(mentorship=pair, user=user, **how)


def test_closing_ends_it_for_everyone_and_tells_the_partner(pair):
    mentor, mentee = people(pair)
    closure = close(pair, mentee, rematch=True)
    pair.refresh_from_db()
    assert (pair.status, pair.ended_on) == (MentorshipStatus.ENDED, dt.date(2026, 3, 2))
    assert (closure.closed_by, closure.closed_by_role, closure.reason) == (mentee, "mentee", "schedules")
    assert set(closure.members.all()) == {mentor, mentee}
    assert closure.rematch_requested_at is not None
    assert not Member.objects.filter(mentorship=pair, is_current=True).exists()
    mentee_enrollment = Member.objects.get(mentorship=pair, user=mentee).enrollment
    assert not has_current_mentorship(mentee_enrollment)
    assert list(mentee_enrollment.excluded.all()) == [mentor]  # never proposed together again
    [email] = OutboundEmail.objects.all()
    assert email.to == [mentor.email]
    assert "Ben Okafor has ended your mentorship" in email.subject
    assert "A promotion plan" not in email.body  # the reflection stays on the page


def test_a_closed_mentorship_cannot_close_again_and_nothing_is_half_written(pair):
    mentor, mentee = people(pair)
    with pytest.raises(MeridianError) as refused:
        close(pair, mentee, thoughts=closing.Thoughts(achieved="", recommend="yes"))
    assert refused.value.field == "achieved"
    assert not Closure.objects.exists()
    assert Member.objects.filter(mentorship=pair, is_current=True).count() == 2
    close(pair, mentee)
    with pytest.raises(Conflict):
        close(pair, mentor)
    assert Reflection.objects.count() == 1


def test_completed_only_at_the_cohorts_end_and_the_rematch_only_for_an_early_end(pair, clock):
    mentor, _mentee = people(pair)
    with pytest.raises(MeridianError) as refused:
        close(pair, mentor, outcome="completed", reason="program_ended")
    assert refused.value.field == "outcome"
    with pytest.raises(MeridianError) as refused:
        close(pair, mentor, rematch=True)
    assert refused.value.field == "rematch"
    clock.move_to(dt.datetime.combine(pair.cohort.ends_on, dt.time(12), tzinfo=dt.UTC))
    close(pair, mentor, outcome="completed", reason="program_ended")
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.COMPLETED


def test_the_partner_adds_their_reflection_once_and_asks_to_be_matched_again(pair):
    mentor, mentee = people(pair)
    closure = close(pair, mentor, reason="not_a_fit")
    said = closing.Thoughts(achieved="Clearer goals", recommend="maybe")
    closing.reflection_add(closure=closure, user=mentee, thoughts=said)
    with pytest.raises(Conflict):
        closing.reflection_add(closure=closure, user=mentee, thoughts=said)
    with pytest.raises(MeridianError):
        closing.reflection_add(closure=closure, user=UserFactory(), thoughts=said)
    with pytest.raises(MeridianError):
        closing.rematch_request(closure=closure, user=mentor)
    assert closing.rematch_request(closure=closure, user=mentee).rematch_requested_at is not None
    with pytest.raises(Conflict):
        closing.rematch_request(closure=closure, user=mentee)
    assert [r.role for r in Reflection.objects.order_by("id")] == ["mentor", "mentee"]


def test_the_mentee_may_start_again_with_someone_else(pair):
    _mentor, mentee = people(pair)
    close(pair, mentee)
    mentee_enrollment = Member.objects.get(mentorship=pair, user=mentee).enrollment
    other = EnrollmentFactory(cohort=pair.cohort, role="mentor", capacity=1)
    started = start(mentor=other, mentees=[mentee_enrollment])
    assert started.mentorship.pk != pair.pk


def test_the_pair_reads_both_reflections_the_team_only_the_category(client, pair):
    mentor, mentee = people(pair)
    closure = close(pair, mentee, reason="unresponsive")
    closing.reflection_add(
        closure=closure, user=mentor, thoughts=closing.Thoughts(achieved="Mentor's view", recommend="no")
    )
    client.force_login(mentor)
    page = client.get(reverse("mentorships:close", args=[pair.public_id])).content.decode()
    assert "A promotion plan" in page
    assert "Mentor&#x27;s view" in page
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    assert client.get(reverse("mentorships:close", args=[pair.public_id])).status_code == 404
    seen = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "Partner unresponsive" in seen
    assert "by the mentee" in seen
    assert "A promotion plan" not in seen
    assert "Mentor&#x27;s view" not in seen


def test_the_close_form_closes_through_htmx_and_shows_reasons_beside_fields(client, pair):
    _mentor, mentee = people(pair)
    client.force_login(mentee)
    url = reverse("mentorships:close", args=[pair.public_id])
    form = client.get(url).content.decode()
    assert 'name="rematch"' in form
    refused = client.post(url, {"outcome": "ended", "reason": ""}, headers={"HX-Request": "true"})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()
    assert not Closure.objects.exists()
    done = client.post(
        url,
        {**CLOSE, "rematch": "on"},
        headers={"HX-Request": "true"},
    )
    assert (done.status_code, done.headers["HX-Redirect"]) == (204, url)
    assert Closure.objects.get().rematch_requested_at is not None


CLOSE = {"outcome": "ended", "reason": "schedules", "achieved": "Good talks", "recommend": "yes"}
TEXT = st.text(st.characters(codec="utf-8"), max_size=2100)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outcome=st.sampled_from(["ended", "completed", "", "x"]),
    reason=st.sampled_from(["schedules", "other", "", "<script>"]),
    achieved=TEXT,
    next_steps=TEXT,
    recommend=st.sampled_from(["yes", "no", "maybe", "", "perhaps"]),
)
def test_the_close_form_never_fails_with_a_500_and_writes_all_or_nothing(
    client, pair, outcome, reason, achieved, next_steps, recommend
):
    _mentor, mentee = people(pair)
    client.force_login(mentee)
    url = reverse("mentorships:close", args=[pair.public_id])
    data = {"outcome": outcome, "reason": reason, "achieved": achieved, "next_steps": next_steps}
    answer = client.post(url, {**data, "recommend": recommend})
    closed = Closure.objects.filter(mentorship=pair).exists()
    assert answer.status_code == (302 if closed else 400)
    assert closed == Reflection.objects.filter(closure__mentorship=pair).exists()
    if closed:  # undo, for the next example
        Closure.objects.all().delete()
        Member.objects.filter(mentorship=pair).update(is_current=True)
        pair.status = MentorshipStatus.ACTIVE
        pair.save()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "outcome": st.one_of(st.sampled_from(["ended", "completed"]), TEXT, st.integers()),
            "reason": st.one_of(st.sampled_from(["schedules", "left"]), TEXT, st.none()),
            "achieved": st.one_of(TEXT, st.integers(), st.lists(st.text(max_size=3), max_size=2)),
            "next_steps": TEXT,
            "recommend": st.one_of(st.sampled_from(["yes", "maybe"]), TEXT),
            "rematch": st.one_of(st.booleans(), TEXT),
        },
    )
)
def test_the_close_endpoint_answers_bad_input_in_words_never_a_500(client, pair, body):
    _mentor, mentee = people(pair)
    client.force_login(mentee)
    answer = client.post(
        f"/api/v1/mentorships/{pair.public_id}/close/", body, content_type="application/json"
    )
    closed = Closure.objects.filter(mentorship=pair).exists()
    assert answer.status_code == (201 if closed else 400), answer.content
    if not closed:
        assert answer.json()["error"]["message"]
    else:
        assert answer.json()["status"] == "ended"
        assert "achieved" not in answer.json()
        Closure.objects.all().delete()
        Member.objects.filter(mentorship=pair).update(is_current=True)
        pair.status = MentorshipStatus.ACTIVE
        pair.save()


def test_the_partner_is_told_on_their_home_until_they_reflect(client, pair):
    mentor, mentee = people(pair)
    closure = close(pair, mentee)
    client.force_login(mentor)
    home = " ".join(client.get("/").content.decode().split())
    assert "Ben Okafor closed your mentorship in" in home
    assert "Add your reflection" in home
    closing.reflection_add(
        closure=closure, user=mentor, thoughts=closing.Thoughts(achieved="x", recommend="no")
    )
    assert "Read the reflections" in client.get("/").content.decode()
    client.force_login(mentee)  # who closed it is not told again
    assert "closed your mentorship" not in client.get("/").content.decode()


@pytest.mark.parametrize("reflections", [1, 2])
def test_the_close_page_costs_the_same_whatever_it_holds(
    client, pair, django_assert_num_queries, reflections
):
    mentor, mentee = people(pair)
    closure = close(pair, mentee)
    if reflections == 2:
        closing.reflection_add(closure=closure, user=mentor, thoughts=SAID)
    client.force_login(mentor)
    # session, user, the mentorship with its program and cohort, its members, the door's
    # in_the_closing, the closure, the section's in_the_closing and manager check, the reflections
    with django_assert_num_queries(9):
        page = client.get(reverse("mentorships:close", args=[pair.public_id]))
    assert page.content.decode().count('class="reflection"') == reflections


def test_a_group_is_closed_by_its_mentor_not_by_one_mentee(db):
    from tests.factories import CohortFactory, ProgramFactory

    cohort = CohortFactory(program=ProgramFactory(kind="group", group_size=3), status="running")
    mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=3)
    mentees = [EnrollmentFactory(cohort=cohort, role="mentee") for _ in range(2)]
    group = start(mentor=mentor, mentees=mentees).mentorship
    with pytest.raises(MeridianError, match="closed by its mentor"):
        close(group, mentees[0].user)
    closure = close(group, mentor.user)
    assert set(closure.members.all()) == {mentor.user, *(m.user for m in mentees)}
    assert OutboundEmail.objects.filter(subject__contains="has ended your mentorship").count() == 2


def test_the_api_shows_how_it_ended_to_the_pair_and_the_team_never_the_reflection(client, pair):
    mentor, mentee = people(pair)
    close(pair, mentee, reason="left")
    manager = UserFactory()
    pair.program.managers.add(manager)
    for person in (mentor, manager):
        client.force_login(person)
        found = client.get(f"/api/v1/mentorships/{pair.public_id}/").json()
        assert found["status"] == "ended"
        assert (found["closure"]["reason"], found["closure"]["closed_by_role"]) == ("left", "mentee")
        assert "A promotion plan" not in str(found)
        listed = client.get("/api/v1/mentorships/").json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        assert [r["closure"]["reason"] for r in rows if r["id"] == str(pair.public_id)] == ["left"]
