"""Self-select: recommendations, requests, answers, exclusions, expiry; the pages with
wrong, missing, oversized and hostile input (never a 500); pinned query counts."""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO
from urllib.parse import quote

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.matching import adapter, selfselect
from meridian.matching.models import MentorRequest, RequestStatus
from meridian.mentorships.models import Member, Mentorship, MentorshipSource
from meridian.mentorships.services import start
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

HYPOTHESIS = hsettings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


SKILLS = ["SQL", "Python", "Stakeholder management", "Kubernetes", "Public speaking", "Hiring", "Budgeting"]
ZONES = ["Europe/London", "Europe/Berlin", "Europe/Madrid"]


def friendly_cohort(*, mentees: int = 8, mentors: int = 6, capacity: int = 2, **program):
    """A self-select cohort where most pairs are allowed (shared hours and a language),
    with skills that differ from person to person, so the scores differ."""
    program = {"matching_mode": "self_select", "requests_per_mentee": 3, "answer_days": 7, **program}
    cohort = CohortFactory(program=ProgramFactory(**program), status="running")
    for n in range(mentors):
        _person(
            cohort, "mentor", n, capacity=capacity, offered=SKILLS[n % 7 :] + SKILLS[: n % 3], seniority=6
        )
    for n in range(mentees):
        _person(cohort, "mentee", n, wanted=[SKILLS[n % 7], SKILLS[(n + 3) % 7]], seniority=3)
    return cohort


def _person(cohort, role, n, *, capacity=1, offered=(), wanted=(), seniority=3):
    user = UserFactory(
        name=f"{role.title()} {chr(65 + n % 26)}{n // 26 or ''} Example", time_zone=ZONES[n % 3]
    )
    profile = user.profile
    profile.title = "Engineering manager" if role == "mentor" else "Analyst"
    profile.department = f"Department {n}"
    profile.seniority = seniority
    profile.languages = ["English"] + (["Spanish"] if n % 2 else [])
    profile.skills_offered, profile.skills_wanted = list(offered), list(wanted)
    profile.values = ["curiosity", "kindness"][: 1 + n % 2]
    profile.channels = ["video"]
    profile.availability = "Mon 09:00-17:00; Tue 09:00-12:00; Thu 13:00-17:00"
    profile.save()
    return EnrollmentFactory(cohort=cohort, user=user, role=role, capacity=capacity)


@pytest.fixture
def cohort():
    return friendly_cohort()


def mentee_in(cohort, n: int = 0):
    return cohort.enrollments.filter(role="mentee").order_by("pk")[n]


def best(mentee, n: int = 1):
    """The mentee's top ``n`` recommended mentors."""
    recs = selfselect.mentee_page(mentee).recommendations
    assert len(recs) >= n, "the demo cohort should give this mentee enough mentors"
    return [r.mentor for r in recs[:n]]


def ask(mentee, mentors, message: str = "Hello!") -> list[MentorRequest]:
    return selfselect.requests_create(mentee=mentee, mentors=mentors, message=message)


# ---------------------------------------------------------------- recommendations


def test_it_recommends_allowed_mentors_with_room_best_first_and_explains_each(cohort):
    mentee = mentee_in(cohort)
    recs = selfselect.mentee_page(mentee).recommendations
    assert 0 < len(recs) <= selfselect.RECOMMENDED
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)
    cp = adapter.build(cohort, adapter.default_settings(cohort), with_full_mentors=True)
    i = cp.mentee_index(mentee.pk)
    for r in recs:
        j = cp.mentor_index(r.mentor.pk)
        assert i is not None
        assert j is not None
        assert cp.problem.pair(i, j).allowed
        assert {c.key for c in r.criteria} == {
            "values",
            "skills",
            "hours",
            "languages",
            "seniority",
            "channels",
        }
        assert all(0 <= c.percent <= 100 for c in r.criteria)
        assert r.summary
        assert next(c for c in r.criteria if c.key == "hours").evidence


def test_it_leaves_out_full_mentors_and_pairs_either_person_excluded(cohort):
    mentee = mentee_in(cohort)
    first, second, third = best(mentee, 3)
    start(mentor=first, mentees=list(cohort.enrollments.filter(role="mentee")[1 : 1 + first.capacity]))
    mentee.excluded.add(second.user)
    third.excluded.add(mentee.user)
    shown = {r.mentor.pk for r in selfselect.mentee_page(mentee).recommendations}
    assert not shown & {first.pk, second.pk, third.pk}


def test_a_matched_mentee_gets_no_recommendations(cohort):
    mentee = mentee_in(cohort)
    start(mentor=best(mentee)[0], mentees=[mentee])
    page = selfselect.mentee_page(mentee)
    assert page.matched
    assert page.recommendations == []
    assert page.may_ask == 0


# ---------------------------------------------------------------- asking


def test_a_mentee_asks_several_mentors_at_once_and_each_is_emailed(
    cohort, django_capture_on_commit_callbacks
):
    mentee = mentee_in(cohort)
    mentors = best(mentee, 2)
    with django_capture_on_commit_callbacks(execute=True):
        made = ask(mentee, mentors, "  I want to learn SQL.  ")
    assert {r.mentor_id for r in made} == {m.pk for m in mentors}
    for r in made:
        r.refresh_from_db()
        assert r.status == RequestStatus.PENDING
        assert r.message == "I want to learn SQL."
        assert r.score > 0
        assert r.summary
        expected = timezone.now() + dt.timedelta(days=cohort.program.answer_days)
        assert abs((r.deadline - expected).total_seconds()) < 60
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in mentors)
    assert mentee.user.name in mail.outbox[0].subject
    assert "/requests/" in mail.outbox[0].body
    assert "I want to learn SQL." in mail.outbox[0].body


def test_the_mentor_reads_shared_hours_in_their_own_time(cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    assert "'s time" not in made.summary or made.mentor.user.name not in made.summary


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("over_limit", "requests waiting at a time"),
        ("duplicate", "already asked"),
        ("matched", "already have a mentor"),
        ("full", "no room left"),
        ("excluded", "not available to you"),
        ("declined", "already answered"),
        ("other_cohort", "not a mentor in this cohort"),
        ("nobody", "Tick at least one"),
        ("twice_in_one", "only once"),
    ],
)
def test_it_refuses_clearly_and_writes_nothing(cohort, setup, message):
    mentee = mentee_in(cohort)
    mentors = best(mentee, 4)
    wanted = [mentors[0]]
    if setup == "over_limit":
        wanted = mentors[:4]
    elif setup == "duplicate":
        ask(mentee, [mentors[0]])
    elif setup == "matched":
        start(mentor=mentors[1], mentees=[mentee])
    elif setup == "full":
        others = list(cohort.enrollments.filter(role="mentee").exclude(pk=mentee.pk)[: mentors[0].capacity])
        for other in others:
            start(mentor=mentors[0], mentees=[other])
    elif setup == "excluded":
        mentors[0].excluded.add(mentee.user)
    elif setup == "declined":
        (made,) = ask(mentee, [mentors[0]])
        selfselect.request_decline(mentor_request=made)
    elif setup == "other_cohort":
        wanted = [EnrollmentFactory(role="mentor", cohort=CohortFactory())]
    elif setup == "nobody":
        wanted = []
    elif setup == "twice_in_one":
        wanted = [mentors[0], mentors[0]]
    before = MentorRequest.objects.count()
    with pytest.raises(MeridianError, match=message):
        ask(mentee, wanted)
    assert MentorRequest.objects.count() == before


def test_the_limit_counts_only_requests_still_waiting(cohort):
    mentee = mentee_in(cohort)
    mentors = best(mentee, 4)
    made = ask(mentee, mentors[:3])
    selfselect.request_withdraw(mentor_request=made[0])
    assert len(ask(mentee, [mentors[3]])) == 1


# ---------------------------------------------------------------- answering


def test_accepting_starts_the_mentorship_closes_the_others_and_tells_the_mentee(
    cohort, django_capture_on_commit_callbacks
):
    mentee = mentee_in(cohort)
    first, second = ask(mentee, best(mentee, 2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        started = selfselect.request_accept(mentor_request=first, reply="Welcome aboard")
    assert started.mentorship.source == MentorshipSource.SELF_SELECT
    assert started.mentorship.score == pytest.approx(first.score)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.reply) == (RequestStatus.ACCEPTED, "Welcome aboard")
    assert second.status == RequestStatus.CLOSED
    assert [m.to for m in mail.outbox] == [[mentee.user.email]]
    assert "Welcome aboard" in mail.outbox[0].body
    assert "/mentorships/" in mail.outbox[0].body
    with pytest.raises(MeridianError, match="matched with another mentor"):
        selfselect.request_accept(mentor_request=second)


def test_a_mentor_who_fills_up_declines_the_rest_kindly(cohort, django_capture_on_commit_callbacks):
    mentor = cohort.enrollments.filter(role="mentor").first()
    mentor.capacity = 1
    mentor.save()
    askers = []
    for mentee in cohort.enrollments.filter(role="mentee"):
        try:
            askers += ask(mentee, [mentor])
        except MeridianError:
            continue  # a pair the rules forbid
        if len(askers) == 3:
            break
    assert len(askers) >= 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        selfselect.request_accept(mentor_request=askers[0])
    statuses = {r.pk: MentorRequest.objects.get(pk=r.pk) for r in askers}
    assert statuses[askers[0].pk].status == RequestStatus.ACCEPTED
    for r in askers[1:]:
        assert statuses[r.pk].status == RequestStatus.DECLINED
        assert statuses[r.pk].reply == selfselect.AUTO_REPLY
    assert len(mail.outbox) == len(askers)


def test_decline_and_never_rules_the_pair_out(cohort, django_capture_on_commit_callbacks):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    with django_capture_on_commit_callbacks(execute=True):
        selfselect.request_decline(mentor_request=made, reply="Not this time", never=True)
    made.refresh_from_db()
    assert made.status == RequestStatus.DECLINED
    assert made.mentor.excluded.filter(pk=mentee.user.pk).exists()
    assert made.mentor_id not in {r.mentor.pk for r in selfselect.mentee_page(mentee).recommendations}
    assert "cannot be your mentor" in mail.outbox[-1].body
    assert "Not this time" in mail.outbox[-1].body


def test_not_for_me_rules_the_pair_out_and_withdraws_a_waiting_request(cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    selfselect.mentor_exclude(mentee=mentee, mentor=made.mentor)
    made.refresh_from_db()
    assert made.status == RequestStatus.WITHDRAWN
    assert mentee.excluded.filter(pk=made.mentor.user_id).exists()
    cp = adapter.build(cohort, adapter.default_settings(cohort))
    i, j = cp.mentee_index(mentee.pk), cp.mentor_index(made.mentor_id)
    assert i is not None
    assert j is not None
    assert not cp.problem.pair(i, j).allowed


def test_a_request_past_its_deadline_cannot_be_accepted_and_shows_as_no_answer_in_time(cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    with time_machine.travel(made.deadline + dt.timedelta(minutes=1)):
        with pytest.raises(MeridianError, match="time to answer"):
            selfselect.request_accept(mentor_request=made)
        made.refresh_from_db()
        assert made.status == RequestStatus.EXPIRED
        assert made.get_status_display() == "No answer in time"
        assert not Member.objects.filter(enrollment=mentee).exists()


def test_the_command_expires_overdue_requests_only(cohort):
    mentee = mentee_in(cohort)
    old, fresh = ask(mentee, best(mentee, 2))
    MentorRequest.objects.filter(pk=old.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("expire_requests", stdout=out)
    assert "1 request(s) expired" in out.getvalue()
    assert MentorRequest.objects.get(pk=old.pk).status == RequestStatus.EXPIRED
    assert MentorRequest.objects.get(pk=fresh.pk).status == RequestStatus.PENDING


def test_a_withdrawn_request_cannot_be_answered(cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    selfselect.request_withdraw(mentor_request=made)
    with pytest.raises(MeridianError, match="withdrew"):
        selfselect.request_accept(mentor_request=made)
    with pytest.raises(MeridianError, match="withdrew"):
        selfselect.request_withdraw(mentor_request=made)


# ---------------------------------------------------------------- pages


def _recs_url(cohort) -> str:
    return reverse("matching:recommendations", args=[cohort.public_id])


def _ask_url(cohort) -> str:
    return reverse("matching:request_create", args=[cohort.public_id])


def test_the_recommendations_page_shows_mentors_with_their_breakdown(client, cohort):
    mentee = mentee_in(cohort)
    client.force_login(mentee.user)
    response = client.get(_recs_url(cohort))
    assert response.status_code == 200
    page = response.context["page"]
    html = response.content.decode()
    for r in page.recommendations:
        assert r.mentor.user.name in html
    assert "Shared working hours" in html
    assert "your time" in html
    assert 'form="request-form"' in html


def test_the_page_is_only_for_mentees_of_self_select_programs(client, cohort, manager):
    mentee = mentee_in(cohort)
    mentor = cohort.enrollments.filter(role="mentor").first()
    for user in (manager, mentor.user):
        client.force_login(user)
        assert client.get(_recs_url(cohort)).status_code == 404
    cohort.program.matching_mode = "manager"
    cohort.program.save()
    client.force_login(mentee.user)
    assert client.get(_recs_url(cohort)).status_code == 404


def test_asking_through_the_page(client, cohort):
    mentee = mentee_in(cohort)
    mentors = best(mentee, 2)
    client.force_login(mentee.user)
    response = client.post(_ask_url(cohort), {"mentor": [str(m.public_id) for m in mentors], "message": "Hi"})
    assert response.status_code == 302
    assert response["Location"] == _recs_url(cohort)
    assert MentorRequest.objects.filter(mentee=mentee, status="pending").count() == 2
    followed = client.get(_recs_url(cohort))
    assert "Asked: waiting for an answer" in followed.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Tick at least one mentor"),
        ({"mentor": ["not-a-uuid"]}, "no longer in this cohort"),
        ({"mentor": [str(uuid.uuid4())]}, "no longer in this cohort"),
        ({"mentor": ["x"] * 51}, "more mentors than you can ask"),
        ({"mentor": "BEST", "message": "x" * 1001}, "at most 1000 characters"),
        ({"mentor": "BEST", "message": "nul\x00byte"}, "Null characters are not allowed"),
        ({"mentor": "BEST4"}, "requests waiting at a time"),
    ],
)
def test_the_ask_form_shows_each_error_and_sends_nothing(client, cohort, data, error):
    mentee = mentee_in(cohort)
    mentors = best(mentee, 4)
    if data.get("mentor") == "BEST":
        data = {**data, "mentor": [str(mentors[0].public_id)]}
    elif data.get("mentor") == "BEST4":
        data = {**data, "mentor": [str(m.public_id) for m in mentors]}
    client.force_login(mentee.user)
    response = client.post(_ask_url(cohort), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not MentorRequest.objects.exists()
    assert not mail.outbox


def test_the_ask_form_refuses_get(client, cohort):
    client.force_login(mentee_in(cohort).user)
    assert client.get(_ask_url(cohort)).status_code == 405


@HYPOTHESIS
@given(note=st.text(max_size=1200))
def test_any_note_is_sent_or_refused_never_a_500(client, cohort, note):
    mentee = mentee_in(cohort)
    MentorRequest.objects.filter(mentee=mentee).delete()
    client.force_login(mentee.user)
    mentor = best(mentee)[0]
    response = client.post(_ask_url(cohort), {"mentor": [str(mentor.public_id)], "message": note})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert MentorRequest.objects.get(mentee=mentee).message == note.strip()


@HYPOTHESIS
@given(value=st.text(max_size=80))
def test_any_public_id_is_a_404_never_a_500(client, cohort, value):
    client.force_login(mentee_in(cohort).user)
    quoted = quote(value, safe="") or "x"
    assert client.get(f"/cohorts/{quoted}/mentors/").status_code == 404
    assert client.post(f"/requests/{quoted}/answer/", {"decision": "accept"}).status_code == 404
    assert client.post(f"/requests/{quoted}/withdraw/").status_code == 404


def test_not_for_me_through_the_page(client, cohort):
    mentee = mentee_in(cohort)
    mentor = best(mentee)[0]
    client.force_login(mentee.user)
    response = client.post(
        _recs_url(cohort), {"mentor": str(mentor.public_id), "reason": "manager"}, follow=True
    )
    assert "you will not be matched with" in response.content.decode().lower()
    assert mentee.excluded.filter(pk=mentor.user_id).exists()
    for bad in (
        {"mentor": "nope", "reason": "manager"},
        {"mentor": str(uuid.uuid4()), "reason": "other"},
        {},
    ):
        response = client.post(_recs_url(cohort), bad, follow=True)
        assert response.status_code == 200
        assert "Choose a mentor of your cohort" in response.content.decode()


def test_the_requests_page_for_a_mentor_and_a_mentee(client, cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee), "Please mentor me")
    client.force_login(made.mentor.user)
    html = client.get(reverse("matching:requests")).content.decode()
    assert mentee.user.name in html
    assert "Please mentor me" in html
    assert "Answer by" in html
    client.force_login(mentee.user)
    html = client.get(reverse("matching:requests")).content.decode()
    assert made.mentor.user.name in html
    assert "Withdraw" in html


def test_the_requests_page_says_so_when_empty(client, manager):
    client.force_login(manager)
    assert "No requests yet." in client.get(reverse("matching:requests")).content.decode()


def test_answering_through_the_page(client, cohort):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    client.force_login(made.mentor.user)
    url = reverse("matching:request_answer", args=[made.public_id])
    response = client.post(url, {"decision": "accept", "reply": "Glad to"})
    assert response.status_code == 302
    assert Mentorship.objects.filter(members__enrollment=mentee, source="self_select").exists()
    again = client.post(url, {"decision": "decline"}, follow=True)
    assert "already accepted" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"decision": "maybe"}, "Choose to accept or to decline."),
        ({}, "Choose to accept or to decline."),
        ({"decision": "accept", "reply": "y" * 1001}, "at most 1000 characters"),
    ],
)
def test_a_wrong_answer_is_refused_next_to_the_request(client, cohort, data, error):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    client.force_login(made.mentor.user)
    response = client.post(reverse("matching:request_answer", args=[made.public_id]), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    made.refresh_from_db()
    assert made.status == RequestStatus.PENDING


@HYPOTHESIS
@given(reply=st.text(max_size=1200), decision=st.sampled_from(["accept", "decline", "never", "", "ACCEPT"]))
def test_any_reply_is_taken_or_refused_never_a_500(client, cohort, reply, decision):
    Member.objects.all().delete()
    Mentorship.objects.all().delete()
    MentorRequest.objects.all().delete()
    mentee = mentee_in(cohort)
    mentee.excluded.clear()
    for mentor in cohort.enrollments.filter(role="mentor"):
        mentor.excluded.remove(mentee.user)
    (made,) = ask(mentee, best(mentee))
    client.force_login(made.mentor.user)
    response = client.post(
        reverse("matching:request_answer", args=[made.public_id]), {"decision": decision, "reply": reply}
    )
    assert response.status_code in (200, 302)


def test_only_the_mentor_answers_and_only_the_mentee_withdraws(client, cohort, manager):
    mentee = mentee_in(cohort)
    (made,) = ask(mentee, best(mentee))
    answer = reverse("matching:request_answer", args=[made.public_id])
    withdraw = reverse("matching:request_withdraw", args=[made.public_id])
    for user in (mentee.user, manager, mentee_in(cohort, 1).user):
        client.force_login(user)
        assert client.post(answer, {"decision": "accept"}).status_code == 404
    for user in (made.mentor.user, manager):
        client.force_login(user)
        assert client.post(withdraw).status_code == 404
    client.force_login(mentee.user)
    response = client.post(withdraw, {"next": _recs_url(cohort)})
    assert response.status_code == 302
    assert response["Location"] == _recs_url(cohort)
    response = client.post(withdraw, {"next": "https://evil.example/"}, follow=True)
    assert "withdrew this request" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("matching:requests")


# ---------------------------------------------------------------- query counts


def _sized_cohort(manager, mentees: int, mentors: int):
    cohort = friendly_cohort(mentees=mentees, mentors=mentors)
    mentee = mentee_in(cohort)
    ask(mentee, best(mentee, 2))
    for other in cohort.enrollments.filter(role="mentee").exclude(pk=mentee.pk)[:3]:
        try:
            ask(other, [best(other)[0]])
        except MeridianError:
            continue
    return cohort, mentee


RECOMMENDATIONS_QUERIES = 14
REQUESTS_QUERIES = 5


@pytest.mark.parametrize(("mentees", "mentors"), [(8, 4), (40, 16)])
def test_the_recommendations_page_costs_the_same_at_any_size(
    client, manager, django_assert_num_queries, mentees, mentors
):
    cohort, mentee = _sized_cohort(manager, mentees, mentors)
    client.force_login(mentee.user)
    with django_assert_num_queries(RECOMMENDATIONS_QUERIES):
        assert client.get(_recs_url(cohort)).status_code == 200


@pytest.mark.parametrize(("mentees", "mentors"), [(8, 4), (40, 16)])
def test_the_requests_page_costs_the_same_at_any_size(
    client, manager, django_assert_num_queries, mentees, mentors
):
    cohort, mentee = _sized_cohort(manager, mentees, mentors)
    mentor = MentorRequest.objects.filter(mentee__cohort=cohort).select_related("mentor").first().mentor  # type: ignore[union-attr]
    for other in cohort.enrollments.filter(role="mentee").exclude(pk=mentee.pk)[3:]:
        MentorRequest.objects.create(cohort=cohort, mentee=other, mentor=mentor, message="Hi")
    client.force_login(mentor.user)
    with django_assert_num_queries(REQUESTS_QUERIES):
        assert client.get(reverse("matching:requests")).status_code == 200


def test_a_mentor_of_another_program_cannot_be_asked(cohort):
    mentee = mentee_in(cohort)
    elsewhere = EnrollmentFactory(
        role="mentor", cohort=CohortFactory(program=ProgramFactory(matching_mode="self_select"))
    )
    with pytest.raises(MeridianError, match="not a mentor in this cohort"):
        ask(mentee, [elsewhere])
