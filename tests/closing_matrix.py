"""Builders for the access matrix's rows of closing a mentorship, a later reflection, a
request to be matched again and the manager's re-matching page (tests/test_access_matrix.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def closed_pair(w: SimpleNamespace) -> Any:
    """The mentor and the mentee of the world, paired again in a second cohort of P and
    closed early by the mentor (once per world; the first pair stays running)."""
    from meridian.mentorships import closing
    from meridian.mentorships.models import Closure
    from meridian.mentorships.services import start
    from tests.factories import CohortFactory, EnrollmentFactory

    found = Closure.objects.filter(mentorship__members__user=w.mentee).first()
    if found is not None:
        return found.mentorship
    cohort = CohortFactory(program=w.p, status="running")
    mentor = EnrollmentFactory(cohort=cohort, user=w.mentor, role="mentor", capacity=1)
    mentee = EnrollmentFactory(cohort=cohort, user=w.mentee, role="mentee")
    pair = start(mentor=mentor, mentees=[mentee]).mentorship
    said = closing.Thoughts(achieved="Kept in touch", recommend="maybe")
    closing.mentorship_close(
        mentorship=pair, user=w.mentor, outcome="ended", reason="schedules", thoughts=said
    )
    pair.refresh_from_db()
    return pair


def closed_url(suffix: str) -> Any:
    def build(w: SimpleNamespace, user: Any) -> str:
        return f"/mentorships/{closed_pair(w).public_id}/{suffix}"

    return build


def requested(w: SimpleNamespace) -> Any:
    """The closure of the closed pair with the mentee's request to be matched again."""
    from meridian.mentorships import closing

    closure = closed_pair(w).closure
    if closure.rematch_requested_at is None:
        closure = closing.rematch_request(closure=closure, user=w.mentee)
    return closure


def rematch_url(w: SimpleNamespace, user: Any) -> str:
    return f"/rematch/{requested(w).public_id}/"


def close_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"outcome": "ended", "reason": "schedules", "achieved": "Good talks", "recommend": "yes"}


def reflect_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"reflect-achieved": "Learnt a lot", "reflect-recommend": "yes"}


def confirm_data(w: SimpleNamespace) -> dict[str, Any]:
    from tests.factories import EnrollmentFactory

    mentor = EnrollmentFactory(cohort=closed_pair(w).cohort, role="mentor", capacity=1)
    return {"mentor": str(mentor.public_id)}
