"""What every app's tests build, in one place: factory_boy factories for people, programs,
cohorts, enrolments and invitations, and functions that make mentorships, meetings, matching
runs and action items through the services (so a test's data obeys the same rules as real
data). The shared fixtures that use them (``clock``, ``pair``) are in tests/fixtures.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from meridian.accounts.models import Profile, User
from meridian.programs.models import Cohort, Enrollment, Invitation, Program

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    title = "Analyst"
    department = "Finance"
    seniority = 3


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.now().date())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=180))

    @factory.post_generation
    def managers(self, create: bool, extracted: list[User] | None, **kwargs: object) -> None:
        if create and extracted:
            self.managers.add(*extracted)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    starts_on = factory.LazyAttribute(lambda o: o.program.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.program.ends_on)
    status = "open"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = "mentee"
    status = "approved"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    cohort = factory.SubFactory(CohortFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "mentee"


def mentoring_pair(
    *,
    mentor: Any = None,
    mentee: Any = None,
    program: Any = None,
    mentor_fields: dict[str, Any] | None = None,
    mentee_fields: dict[str, Any] | None = None,
) -> Any:
    """A running cohort's pair mentorship (mentor first), people made as asked."""
    from meridian.mentorships.services import start

    cohort = CohortFactory(program=program or ProgramFactory(), status="running")
    mentor = mentor or UserFactory(**(mentor_fields or {}))
    mentee = mentee or UserFactory(**(mentee_fields or {}))
    mentor_enrollment = EnrollmentFactory(cohort=cohort, user=mentor, role="mentor", capacity=2)
    mentee_enrollment = EnrollmentFactory(cohort=cohort, user=mentee, role="mentee")
    return start(mentor=mentor_enrollment, mentees=[mentee_enrollment]).mentorship


def people(mentorship: Any) -> tuple[Any, Any]:
    """A pair's mentor and mentee (the first of each role)."""
    members = {m.role: m.user for m in mentorship.members.select_related("user").order_by("-id")}
    return members["mentor"], members["mentee"]


def meeting_proposed(
    mentorship: Any, *starts: dt.datetime, by: Any = None, minutes: int = 45, **how: Any
) -> Any:
    """A meeting the mentor (or ``by``) proposed at ``starts``; ``how``: the proposal's other
    fields (channel, video_source, fallback, repeat_weeks, repeat_count, title)."""
    from meridian.scheduling.services import MeetingProposal, meeting_propose

    proposal = MeetingProposal(starts=list(starts), minutes=minutes, **how)
    return meeting_propose(mentorship=mentorship, user=by or people(mentorship)[0], proposal=proposal)


def meeting_booked(mentorship: Any, start: dt.datetime, *, minutes: int = 45, **how: Any) -> Any:
    """A meeting at ``start``, proposed by the mentor and accepted by the mentee."""
    from meridian.scheduling.services import meeting_accept

    mentor, mentee = people(mentorship)
    meeting = meeting_proposed(mentorship, start, by=mentor, minutes=minutes, **how)
    meeting = meeting_accept(meeting=meeting, user=mentee, start=start)
    meeting.refresh_from_db()
    return meeting


def action_item(
    mentorship: Any,
    text: str = "Read the chapter on feedback",
    *,
    owner: Any = None,
    meeting: Any = None,
    due_on: Any = None,
) -> Any:
    """An open action item of ``mentorship``, added by its mentor, owned by its mentee unless
    ``owner`` is given."""
    from meridian.scheduling.actions import action_item_add

    mentor, mentee = people(mentorship)
    return action_item_add(
        mentorship=mentorship, meeting=meeting, user=mentor, text=text, owner=owner or mentee, due_on=due_on
    )


def match_run(cohort: Any, manager: Any, **settings: Any) -> Any:
    """A finished matching run of ``cohort`` under the default settings with ``settings`` laid
    over them (no shared hours asked unless given)."""
    from meridian.matching import adapter
    from meridian.matching.models import RunStatus
    from meridian.matching.services.runs import run_start

    chosen = {**adapter.default_settings(cohort), "constraints": {"min_shared_hours": 0}, **settings}
    run = run_start(cohort=cohort, actor=manager, settings=chosen)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run
