"""Starting many mentorships at once does what starting them one by one does: the rules
are written once (``start_many``), and ``start`` is that for one mentor."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.mentorships import services
from meridian.mentorships.models import Member
from meridian.programs.models import ProgramKind, Role
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MENTORS, MENTEES = 3, 6
batch = st.tuples(
    st.integers(0, MENTORS - 1), st.lists(st.integers(0, MENTEES - 1), min_size=1, max_size=3, unique=True)
)
world = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([ProgramKind.ONE_TO_ONE, ProgramKind.GROUP]),
        "group_size": st.integers(1, 3),
        "capacities": st.lists(st.integers(1, 3), min_size=MENTORS, max_size=MENTORS),
        "before": st.lists(batch, max_size=2),  # mentorships already running
        "batches": st.lists(batch, min_size=1, max_size=5),
    }
)


def _outcome(plan: dict[str, Any], bulk: bool) -> Any:
    """Build the world, start ``plan``'s batches (in bulk or one by one), describe the
    result by labels (not ids), and roll everything back."""
    with transaction.atomic():
        program = ProgramFactory(kind=plan["kind"], group_size=plan["group_size"])
        cohort = CohortFactory(program=program, status="running")
        mentors = [EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=c) for c in plan["capacities"]]
        mentees = [EnrollmentFactory(cohort=cohort, role=Role.MENTEE) for _ in range(MENTEES)]
        label = {e.pk: f"{e.role}{i}" for group in (mentors, mentees) for i, e in enumerate(group)}
        for mentor, picked in plan["before"]:
            services.start_many(batches=[services.Batch(mentors[mentor], [mentees[i] for i in picked])])
        batches = [services.Batch(mentors[m], [mentees[i] for i in picked]) for m, picked in plan["batches"]]
        started, skipped = services.start_many(batches=batches) if bulk else _one_by_one(batches)
        members = Member.objects.filter(mentorship__cohort=cohort).order_by("mentorship_id", "pk")
        together: dict[int, set[tuple[str, str]]] = {}
        for m in members:
            together.setdefault(m.mentorship_id, set()).add((label[m.enrollment_id], m.role))
        result = (
            sorted(sorted(group) for group in together.values()),
            [(sorted(label[e.pk] for e in s.new_mentees), s.created) for s in started],
            skipped,
        )
        transaction.set_rollback(True)
    return result


def _one_by_one(batches: list[services.Batch]) -> tuple[list[services.Started], int]:
    """The reference: each batch on its own through ``start``, after the single-row reads."""
    started, skipped = [], 0
    for b in batches:
        fresh = [m for m in b.mentees if not services.has_current_mentorship(m)]
        fresh = fresh[: max(0, services.room_left(b.mentor))]
        skipped += len(b.mentees) - len(fresh)
        if fresh:
            started.append(services.start(mentor=b.mentor, mentees=fresh))
    return started, skipped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=world)
def test_bulk_start_equals_one_by_one(plan: dict[str, Any]) -> None:
    assert _outcome(plan, bulk=True) == _outcome(plan, bulk=False)


def test_start_refuses_where_the_bulk_start_skips() -> None:
    cohort = CohortFactory(status="running")
    mentor = EnrollmentFactory(cohort=cohort, role=Role.MENTOR, capacity=1)
    first, second = (EnrollmentFactory(cohort=cohort, role=Role.MENTEE) for _ in range(2))
    with pytest.raises(MeridianError, match="no room"):
        services.start(mentor=mentor, mentees=[first, second])
    assert not Member.objects.exists()  # all or nothing
    started, skipped = services.start_many(batches=[services.Batch(mentor, [first, second])])
    assert ([s.new_mentees for s in started], skipped) == ([[first]], 1)
    with pytest.raises(MeridianError, match="already has a mentor"):
        services.start(mentor=mentor, mentees=[first])
