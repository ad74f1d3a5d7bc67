"""A small cohort of demo people, imported the way a manager would, ready to match."""

from __future__ import annotations

import pytest

from matching_engine.demo import generate_cohort
from meridian.programs.importing import participants_import
from tests.factories import CohortFactory, ProgramFactory, UserFactory


@pytest.fixture
def manager():
    return UserFactory(name="Mia Manager")


def demo_cohort(manager, *, mentees: int = 24, mentors: int = 8, seed: int = 7, **program):
    cohort = CohortFactory(program=ProgramFactory(managers=[manager], **program), status="running")
    report = participants_import(
        cohort=cohort, people=generate_cohort(mentees, mentors, seed=seed), actor=manager
    )
    assert report.ok, report.errors[:3]
    cohort.enrollments.update(status="approved")
    return cohort


@pytest.fixture
def matched_cohort(manager):
    return demo_cohort(manager)
