"""The introduction email that publishing sends: who you are matched with, and why.

Sent by a job after publishing (``tasks.introduce``): a run may start thousands of
mentorships. Each member is introduced once: a job delivered twice sends nothing new."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from meridian.matching import emails
from meridian.matching.models import Proposal
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.models import Role


def send_introductions(run_id: int, mentorship_ids: Sequence[int]) -> int:
    """Email each member of these mentorships not introduced yet; the reasons are the
    run's explanations of each mentee's pair. Returns how many emails went out."""
    reasons = {
        mentee_id: {"score": score, "summary": summary}
        for mentee_id, score, summary in Proposal.objects.filter(run_id=run_id).values_list(
            "mentee_id", "score", "summary"
        )
    }
    return introduce(mentorship_ids, reasons)


def introduce(mentorship_ids: Sequence[int], reasons: dict[int, Any]) -> int:
    """Email each current member of these mentorships not introduced yet, with the
    reasons each mentee's pair was chosen (``{mentee enrolment id: {score, summary}}``)."""
    members = Member.objects.filter(is_current=True).select_related("user__profile")
    rows = (
        Mentorship.objects.filter(pk__in=list(mentorship_ids))
        .select_related("cohort__program")
        .prefetch_related(Prefetch("members", queryset=members))
    )
    sent = 0
    for mentorship in rows:
        everyone = list(mentorship.members.all())
        for person in (m for m in everyone if m.introduced_at is None):
            _introduce(person, everyone, mentorship, reasons)
            Member.objects.filter(pk=person.pk).update(introduced_at=timezone.now())
            sent += 1
    return sent


def _introduce(
    person: Member, everyone: list[Member], mentorship: Mentorship, reasons: dict[int, Any]
) -> None:
    mentors = [m for m in everyone if m.role == Role.MENTOR]
    mentees = [m for m in everyone if m.role == Role.MENTEE]
    others = mentees if person.role == Role.MENTOR else [*mentors, *[m for m in mentees if m != person]]
    why = [
        {"name": m.user.name, **reasons.get(m.enrollment_id, {})}
        for m in (mentees if person.role == Role.MENTOR else [person])
    ]
    emails.introduction(person, mentorship=mentorship, others=others, why=why)
