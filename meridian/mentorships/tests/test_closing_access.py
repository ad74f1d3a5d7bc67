"""Closing's pages and endpoint against every person the issue names: a member, the
partner, another pair's member guessing the id (same cohort), a manager of the same
program, a manager of another program, a participant removed from the pair before it
closed, an administrator, anonymous. The pair alone reaches them; the program team sees
the closure on the mentorship's page, never a reflection."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest

from meridian.mentorships import closing
from meridian.mentorships.models import Member
from meridian.mentorships.services import start
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = ("member", "partner", "guesser", "manager", "other_manager", "removed", "admin", "anonymous")
PAIR = {"member", "partner"}
SAID = closing.Thoughts(achieved="Secret reflection", recommend="yes")


def world(*, closed: bool) -> SimpleNamespace:
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
    w.member, w.partner, w.guesser, w.removed, w.anonymous = (
        mentee.user,
        mentor.user,
        guesser.user,
        removed.user,
        None,
    )
    if closed:
        closing.mentorship_close(
            mentorship=w.pair, user=w.partner, outcome="ended", reason="other", thoughts=SAID
        )
    return w


class Case(NamedTuple):
    name: str
    method: str
    suffix: str
    closed: bool
    ok: dict[str, int]
    data: dict[str, Any] | None = None
    api: bool = False


def pair_gets(ok: int, **others: int) -> dict[str, int]:
    return {p: ok if p in PAIR else 404 for p in PEOPLE} | others


CLOSE = {"outcome": "ended", "reason": "schedules", "achieved": "We met", "recommend": "no"}
CASES = [
    Case("close_page", "GET", "close/", False, pair_gets(200)),
    Case("close_page_closed", "GET", "close/", True, pair_gets(200)),
    Case("close", "POST", "close/", False, pair_gets(302), CLOSE),
    Case("close_closed", "POST", "close/", True, pair_gets(404), CLOSE),  # nobody takes part now
    Case(
        "reflect",
        "POST",
        "close/reflection/",
        True,
        pair_gets(302, partner=400),  # the partner closed it with theirs
        {"reflect-achieved": "Mine", "reflect-recommend": "yes"},
    ),
    Case("rematch_ask", "POST", "close/rematch/", True, pair_gets(302)),
    Case("api_close", "POST", "close/", False, pair_gets(201), CLOSE, api=True),
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_only_the_pair_reaches_closing(client: Any, case: Case, person: str):
    w = world(closed=case.closed)
    user = getattr(w, person)
    if user is not None:
        client.force_login(user)
    path = ("/api/v1" if case.api else "") + f"/mentorships/{w.pair.public_id}/{case.suffix}"
    response = client.post(path, case.data or {}) if case.method == "POST" else client.get(path)
    where = f"{case.method} {path} as {person}: {response.status_code}"
    if person == "anonymous":
        assert response.status_code == (401 if case.api else 302), where
        if not case.api:
            assert response["Location"].startswith("/accounts/login/"), where
    else:
        assert response.status_code == case.ok[person], where


@pytest.mark.parametrize("person", ["manager", "admin"])
def test_the_team_sees_the_closure_never_the_reflection(client: Any, person: str):
    w = world(closed=True)
    client.force_login(getattr(w, person))
    page = " ".join(client.get(f"/mentorships/{w.pair.public_id}/").content.decode().split())
    assert "How it ended" in page
    assert "by the mentor" in page
    assert "Other" in page
    assert "Secret reflection" not in page
