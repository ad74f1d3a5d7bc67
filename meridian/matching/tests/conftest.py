"""A small cohort of demo people, imported the way a manager would, ready to match."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching_engine.demo import generate_cohort
from matching_engine.model import Participant
from meridian.programs.importing import participants_import
from tests.factories import CohortFactory, ProgramFactory, UserFactory


@pytest.fixture
def manager():
    return UserFactory(name="Mia Manager")


def demo_cohort(manager, *, mentees: int = 24, mentors: int = 8, seed: int = 7, **program):
    cohort = CohortFactory(program=ProgramFactory(managers=[manager], **program), status="running")
    # Each seed is its own set of people (HR ids are unique in the organisation).
    people = [_own_ids(p, seed) for p in generate_cohort(mentees, mentors, seed=seed)]
    report = participants_import(cohort=cohort, people=people, actor=manager)
    assert report.ok, report.errors[:3]
    cohort.enrollments.update(status="approved")
    return cohort


def _own_ids(person: Participant, seed: int) -> Participant:
    def own(hr_id: str) -> str:
        return f"S{seed}-{hr_id}" if hr_id else ""

    return replace(
        person,
        id=own(person.id),
        manager_id=own(person.manager_id),
        exclude_ids=tuple(own(i) for i in person.exclude_ids),
    )


@pytest.fixture
def matched_cohort(manager):
    return demo_cohort(manager)
