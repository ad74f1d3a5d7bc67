"""The introduction email that publishing sends: who you are matched with, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse

from meridian.core.emails import send_templated
from meridian.mentorships.models import Mentorship
from meridian.programs.models import Role


def send_introductions(mentorship_ids: Sequence[int], reasons: Mapping[int, Mapping[str, Any]]) -> None:
    """Email every current member of each mentorship. ``reasons`` holds, per mentee
    enrolment id, the pair's score, summary and evidence (the words of the explanation)."""
    mentorships = Mentorship.objects.filter(pk__in=mentorship_ids).select_related("cohort__program")
    for mentorship in mentorships.prefetch_related("members__user"):
        members = [m for m in mentorship.members.all() if m.is_current]
        mentors = [m for m in members if m.role == Role.MENTOR]
        mentees = [m for m in members if m.role == Role.MENTEE]
        url = str(settings.SITE_URL).rstrip("/") + reverse("mentorships:detail", args=[mentorship.public_id])
        for person in members:
            others = (
                mentees if person.role == Role.MENTOR else [*mentors, *[m for m in mentees if m != person]]
            )
            why = [
                {"name": m.user.name, **reasons.get(m.enrollment_id, {})}
                for m in (mentees if person.role == Role.MENTOR else [person])
            ]
            send_templated(
                "introduction",
                to=[person.user.email],
                context={
                    "person": person,
                    "others": others,
                    "why": why,
                    "mentorship": mentorship,
                    "program": mentorship.cohort.program,
                    "url": url,
                },
            )
