"""Matching's emails, one function each: rendered from ``emails/<name>-*`` in the person's
own zone and stored in the caller's transaction, sent by a job after commit
(``meridian.core.outbox``)."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils import timezone

from meridian.core.emails import send_templated
from meridian.core.links import absolute_url
from meridian.matching.models import MentorRequest, RequestStatus
from meridian.mentorships.models import Member, Mentorship


def mentor_request(request: MentorRequest) -> None:
    """Tell a mentor a mentee asked for them."""
    _send("mentor-request", request.mentor.user, request=request, url=absolute_url("matching:requests"))


def request_answered(request: MentorRequest) -> None:
    """Tell the mentee how their request was answered (or closed)."""
    accepted = request.status == RequestStatus.ACCEPTED
    url = (
        absolute_url("mentorships:list")
        if accepted
        else absolute_url("matching:recommendations", request.cohort.public_id)
    )
    _send("request-answered", request.mentee.user, request=request, accepted=accepted, url=url)


def introduction(
    person: Member, *, mentorship: Mentorship, others: list[Member], why: list[dict[str, Any]]
) -> None:
    """Introduce ``person`` to the others in their new mentorship, and say why they were matched."""
    context = {
        "person": person,
        "others": others,
        "why": why,
        "mentorship": mentorship,
        "program": mentorship.cohort.program,
        "url": absolute_url("portal:workspace", mentorship.public_id),
    }
    send_templated("introduction", to=[person.user.email], context=context)


def _send(name: str, user: Any, **context: Any) -> None:
    """An email to ``user``, its times in their own zone."""
    with timezone.override(zoneinfo.ZoneInfo(user.time_zone or "UTC")):
        send_templated(name, to=[user.email], context={"person": user, **context})
