"""A program manager's home: what waits for them (with where to do it), then how their
programs stand; not a participant's "complete your profile" nor "apply to" their own cohorts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CohortFactory, EnrollmentFactory, InvitationFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

# higher layers than programs: reached by name, as the home page reaches them
MatchRun = apps.get_model("matching", "MatchRun")
MentorRequest = apps.get_model("matching", "MentorRequest")
Mentorship = apps.get_model("mentorships", "Mentorship")
Member = apps.get_model("mentorships", "Member")


def _pair(mentor: Any, mentee: Any) -> None:
    pair = Mentorship.objects.create(
        program=mentor.cohort.program, cohort=mentor.cohort, started_on=timezone.localdate()
    )
    for enrollment in (mentor, mentee):
        Member.objects.create(
            mentorship=pair, enrollment=enrollment, user=enrollment.user, role=enrollment.role
        )


def _program_with_work(manager: Any, name: str = "Grow") -> Any:
    """A program of ``manager`` with one of each thing to do, and some that are not."""
    program = ProgramFactory(name=name, managers=[manager])
    cohort = CohortFactory(program=program, status="running")
    EnrollmentFactory.create_batch(2, cohort=cohort, status="applied")
    mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=3)
    paired, waiting, late = EnrollmentFactory.create_batch(3, cohort=cohort)
    _pair(mentor, paired)
    past = timezone.now() - dt.timedelta(days=1)
    InvitationFactory(cohort=cohort)  # waits
    InvitationFactory(cohort=cohort, expires_at=past)  # expired: not a to-do
    InvitationFactory(cohort=cohort, accepted_at=past)  # accepted
    for status in ("done", "published"):
        MatchRun.objects.create(
            cohort=cohort,
            number=MatchRun.objects.filter(cohort=cohort).count() + 1,
            created_by=manager,
            settings={},
            status=status,
        )
    MentorRequest.objects.create(cohort=cohort, mentee=late, mentor=mentor, deadline=past)  # late
    MentorRequest.objects.create(cohort=cohort, mentee=waiting, mentor=mentor)  # still in time
    MentorRequest.objects.create(cohort=cohort, mentee=paired, mentor=mentor, deadline=past, status="expired")
    return program


def test_it_lists_what_waits_for_the_manager_with_where_to_do_it(client: Any) -> None:
    manager = UserFactory()
    program = _program_with_work(manager)
    client.force_login(manager)
    response = client.get("/")
    to_do = {item.text: (item.count, item.url) for item in response.context["manager"]["to_do"]}
    run = MatchRun.objects.get(status="done")
    cohort = program.cohorts.get()
    assert to_do == {
        "2 applications wait for a decision in Grow": (
            2,
            f"/programs/{program.public_id}/people/?status=applied",
        ),
        "1 invitation not accepted yet in Grow": (1, f"/cohorts/{cohort.public_id}/invite/"),
        "1 matching run ready to publish in Grow": (1, f"/runs/{run.public_id}/"),
        "1 mentee's request passed its deadline unanswered in Grow": (
            1,
            f"/cohorts/{cohort.public_id}/matching/",
        ),
    }
    html = response.content.decode()
    assert f'href="/programs/{program.public_id}/people/?status=applied"' in html


def test_it_shows_each_programs_participants_matched_and_active_pairs(client: Any) -> None:
    manager = UserFactory()
    program = _program_with_work(manager)
    client.force_login(manager)
    row = client.get("/").context["manager"]["programs"][0]
    # approved: the mentor and three mentees; matched: the mentor and one mentee; one pair
    assert (row.pk, row.participants, row.matched, row.active_pairs) == (program.pk, 4, 2, 1)
    assert f'href="/programs/{program.public_id}/pairs/"' in client.get("/").content.decode()


def test_a_manager_is_not_asked_to_complete_a_profile_nor_to_apply_to_their_cohorts(client: Any) -> None:
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    mine = CohortFactory(program=program, status="open", name="My own cohort")
    elsewhere = CohortFactory(status="open", name="Elsewhere cohort")
    manager.profile.skills = []
    manager.profile.save()
    client.force_login(manager)
    response = client.get("/")
    html = response.content.decode()
    assert response.context["profile"].completeness < 100
    assert "Complete your profile" not in html
    assert "% complete" not in html
    assert mine.name not in html
    assert elsewhere.name in html
    assert "You are not in a cohort yet" not in html
    assert "Nothing waits for you" in html


def test_a_participant_is_still_asked_to_complete_their_profile(client: Any) -> None:
    person = UserFactory()
    client.force_login(person)
    response = client.get("/")
    assert response.context["profile"].completeness < 100
    assert "Complete your profile" in response.content.decode()
    assert response.context["manager"] is None


def _home_queries(client: Any) -> int:
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


# session, user, profile, the managed programs with all their counts and to-dos, my
# enrolments, open cohorts, my mentorships (none: their prefetches are skipped), the
# mentees asking to be matched again
HOME = 8


@pytest.mark.parametrize("programs", [1, 4])
def test_the_home_query_count_is_the_same_for_one_program_and_many(client: Any, programs: int) -> None:
    manager = UserFactory()
    for n in range(programs):
        _program_with_work(manager, name=f"Program {n}")
    client.force_login(manager)
    assert _home_queries(client) == HOME
    assert len(client.get("/").context["manager"]["to_do"]) == 4 * programs
