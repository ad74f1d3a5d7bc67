"""Who reaches a mentorship's page, and which: the eight people the issue names. The pair
gets its workspace; the program's managers and administrators the overview; a participant
removed from the running pair, another pair's member guessing the id and a manager of
another program get 404; anonymous visitors are sent to sign in."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from meridian.mentorships.models import Member
from meridian.mentorships.services import start
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

WORKSPACE = 'id="next-meeting"'
OVERVIEW = "Activity only"


def world() -> SimpleNamespace:
    w = SimpleNamespace(manager=UserFactory(), other_manager=UserFactory(), admin=UserFactory(is_staff=True))
    program = ProgramFactory(managers=[w.manager])
    ProgramFactory(managers=[w.other_manager])
    cohort = CohortFactory(program=program, status="running")
    mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=2)
    mentee = EnrollmentFactory(cohort=cohort, role="mentee")
    removed = EnrollmentFactory(cohort=cohort, role="mentee")
    w.pair = start(mentor=mentor, mentees=[mentee]).mentorship
    Member.objects.create(
        mentorship=w.pair, enrollment=removed, user=removed.user, role="mentee", is_current=False
    )
    guesser = EnrollmentFactory(cohort=cohort, role="mentee")
    start(mentor=EnrollmentFactory(cohort=cohort, role="mentor", capacity=1), mentees=[guesser])
    w.member, w.partner, w.guesser, w.removed = mentee.user, mentor.user, guesser.user, removed.user
    w.anonymous = None
    return w


CASES = {
    "member": (200, WORKSPACE),
    "partner": (200, WORKSPACE),
    "guesser": (404, None),
    "manager": (200, OVERVIEW),
    "other_manager": (404, None),
    "removed": (404, None),
    "admin": (200, OVERVIEW),
    "anonymous": (302, None),
}


@pytest.mark.parametrize("person", CASES)
def test_it_opens_the_page_each_person_may_see(client, person: str):
    w = world()
    user: Any = getattr(w, person)
    if user is not None:
        client.force_login(user)
    answer = client.get(reverse("portal:workspace", args=[w.pair.public_id]))
    status, marker = CASES[person]
    assert answer.status_code == status
    if status == 302:
        assert answer["Location"].startswith("/accounts/login/")
    if marker:
        body = answer.content.decode()
        assert marker in body
        other = OVERVIEW if marker == WORKSPACE else WORKSPACE
        assert other not in body
