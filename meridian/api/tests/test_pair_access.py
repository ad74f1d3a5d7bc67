"""The pair's pages and endpoints against every person the issue names: a member, the
partner, another pair's member guessing the id (same cohort), a manager of the same
program, a manager of another program, a participant removed from the pair, an
administrator, anonymous. The pair alone reads; its current members write."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from meridian.mentorships.services import start
from tests import pair_matrix as pm
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

PEOPLE = ("member", "partner", "guesser", "manager", "other_manager", "removed", "admin", "anonymous")
PAIR = {"member", "partner"}


def world() -> SimpleNamespace:
    w = SimpleNamespace(manager=UserFactory(), other_manager=UserFactory(), admin=UserFactory(is_staff=True))
    w.p = ProgramFactory(kind="group", group_size=3, managers=[w.manager])
    ProgramFactory(managers=[w.other_manager])
    cohort = CohortFactory(program=w.p, status="running")
    w.mentor_enrollment = EnrollmentFactory(cohort=cohort, role="mentor", capacity=3)
    w.mentee_enrollment = EnrollmentFactory(cohort=cohort, role="mentee")
    removed = EnrollmentFactory(cohort=cohort, role="mentee")
    w.pair = start(mentor=w.mentor_enrollment, mentees=[w.mentee_enrollment, removed]).mentorship
    w.pair.members.filter(enrollment=removed).update(is_current=False)  # taken out of the group
    other_mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=1)
    guesser = EnrollmentFactory(cohort=cohort, role="mentee")
    start(mentor=other_mentor, mentees=[guesser])
    w.member, w.partner, w.mentor, w.mentee = (
        w.mentee_enrollment.user,
        w.mentor_enrollment.user,
        w.mentor_enrollment.user,
        w.mentee_enrollment.user,
    )
    w.guesser, w.removed, w.anonymous = guesser.user, removed.user, None
    return w


def expect(ok: int, *, anonymous: int = 302, member: int | None = None, **others: int) -> dict[str, int]:
    found = {p: ok if p in PAIR else 404 for p in PEOPLE} | {"anonymous": anonymous}
    if member is not None:
        found["member"] = member
    return found | others


ROWS: list[tuple[str, str, Any, dict[str, int], Any]] = [
    ("agreement", "get", pm.pair_url("agreement/", proposed=True), expect(200), None),
    ("agreement_propose", "post", pm.pair_url("agreement/propose/"), expect(302), pm.form_terms),
    (
        "agreement_accept",
        "post",
        pm.pair_url("agreement/accept/", proposed=True),
        expect(302),
        pm.accept_data,
    ),
    ("checkin", "post", pm.pair_url("checkins/"), expect(302), pm.checkin_data),
    ("report", "post", pm.pair_url("report-unresponsive/"), expect(302), pm.report_data),
    (
        "template",
        "get",
        pm.template_url,
        {p: 200 if p in ("manager", "admin") else 404 for p in PEOPLE} | {"anonymous": 302},
        None,
    ),
    (  # whoever sees the mentorship's page reads the state; the terms are the pair's (tested apart)
        "api_agreement",
        "get",
        pm.api_pair_url("agreement/", proposed=True),
        expect(200, anonymous=401, manager=200, admin=200, removed=200),
        None,
    ),
    ("api_agreement_put", "put", pm.api_pair_url("agreement/"), expect(200, anonymous=401), pm.api_terms),
    (
        "api_agreement_accept",
        "post",
        pm.api_pair_url("agreement/accept/", proposed=True),
        expect(200, anonymous=401, partner=400),
        pm.accept_data,
    ),
    ("api_checkins", "get", pm.api_pair_url("checkins/"), expect(200, anonymous=401), None),
    ("api_checkin", "post", pm.api_pair_url("checkins/"), expect(201, anonymous=401), pm.checkin_data),
    (
        "api_report",
        "post",
        pm.api_pair_url("report-unresponsive/"),
        expect(201, anonymous=401),
        pm.report_data,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "method", "url", "expected", "data"), ROWS, ids=[r[0] for r in ROWS])
def test_the_pair_alone_reads_and_its_current_members_write(name, method, url, expected, data, person):
    w = world()
    user = getattr(w, person)
    api = name.startswith("api_")
    client: Any = APIClient() if api else Client()
    if user is not None:
        client.force_authenticate(user) if api else client.force_login(user)
    path = url(w, user)
    payload = data(w) if data else {}
    kwargs = {"format": "json"} if api and method != "get" else {}
    answer = getattr(client, method)(path, payload, **kwargs)
    assert answer.status_code == expected[person], f"{method} {path} as {person}: {answer.status_code}"
    if person == "anonymous" and not api:
        assert answer["Location"].startswith("/accounts/login/")
