"""factory_boy factories shared by every app's tests."""

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
