"""A small world every API test reads: two programs with a manager each, a running
cohort in each, members, an applicant, an outsider, an administrator, and a third
program whose cohort is open for applications (visible to every signed-in person)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

# core/permissions.py: managed_programs_q() gives an administrator Q(), and Django drops
# an empty Q from an OR, so visible_to(admin) shows only what any participant sees.


def error_of(response: Any) -> dict[str, Any]:
    """The API's one error shape, checked."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return dict(body["error"])


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    w = SimpleNamespace(
        manager_a=UserFactory(name="Mara Manager"),
        manager_b=UserFactory(name="Bruno Boss"),
        admin=UserFactory(name="Ada Admin", is_staff=True),
        outsider=UserFactory(name="Otto Outsider"),
    )
    w.program_a = ProgramFactory(name="Alpha", managers=[w.manager_a])
    w.program_b = ProgramFactory(name="Beta", managers=[w.manager_b])
    w.program_open = ProgramFactory(name="Open house")
    w.cohort_a = CohortFactory(program=w.program_a, status="running")
    w.cohort_b = CohortFactory(program=w.program_b, status="running")
    w.cohort_open = CohortFactory(program=w.program_open, status="open")
    w.mentee = EnrollmentFactory(cohort=w.cohort_a, role="mentee", user=UserFactory(name="Mina Mentee"))
    w.mentor = EnrollmentFactory(cohort=w.cohort_a, role="mentor", user=UserFactory(name="Max Mentor"))
    w.applicant = EnrollmentFactory(
        cohort=w.cohort_a, status="applied", user=UserFactory(name="Abe Applicant")
    )
    w.beta_member = EnrollmentFactory(cohort=w.cohort_b, user=UserFactory(name="Bea Member"))
    return w
