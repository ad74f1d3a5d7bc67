"""A program manager asks to observe one session (E5). It happens only if every member of
the pair says yes; any no declines it, and the manager is told "declined", never who said
no. The manager may withdraw. Each member is asked by a notice (and a card on their page);
the manager hears the outcome the same way."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.core.links import absolute_url
from meridian.engagement import notices
from meridian.engagement.models import ObservationConsent, ObservationRequest, ObservationStatus
from meridian.mentorships.models import Member
from meridian.scheduling.models import Meeting, MeetingStatus

MAX_WHY = 500
STANDING = (ObservationStatus.ASKED, ObservationStatus.AGREED)


def clean_why(why: str) -> str:
    if "\x00" in why:
        raise MeridianError("This text contains a character that cannot be stored.", field="why")
    why = why.strip()
    if not why:
        raise MeridianError("Say why you would like to observe, so the pair can decide.", field="why")
    if len(why) > MAX_WHY:
        raise MeridianError(f"Keep this to {MAX_WHY} characters.", field="why")
    return why


def _members(meeting: Meeting) -> list[Member]:
    return list(
        Member.objects.filter(mentorship_id=meeting.mentorship_id, is_current=True).select_related("user")
    )


@transaction.atomic
def observation_ask(*, meeting: Meeting, manager: User, why: str) -> ObservationRequest:
    """Ask the pair whether ``manager`` may observe ``meeting`` (booked, still to come)."""
    meeting = Meeting.objects.select_for_update().select_related("mentorship__program").get(pk=meeting.pk)
    if not permissions.may_manage_program(manager, meeting.mentorship.program):
        raise MeridianError("Only the program's managers ask to observe a session.")
    why = clean_why(why)
    if (
        meeting.status != MeetingStatus.SCHEDULED
        or meeting.starts_at is None
        or meeting.starts_at <= timezone.now()
    ):
        raise MeridianError("You can only ask to observe a booked session that is still to come.")
    if ObservationRequest.objects.filter(meeting=meeting, status__in=STANDING).exists():
        raise MeridianError("You have asked to observe this session already.")
    request = ObservationRequest.objects.create(meeting=meeting, requested_by=manager, why=why)
    for member in _members(meeting):
        _tell(member.user, request, "observe-ask", f"observe_ask:{request.pk}:{member.user_id}")
    return request


@transaction.atomic
def observation_answer(*, request: ObservationRequest, user: User, consents: bool) -> ObservationRequest:
    """A member's yes or no: agreed once every current member said yes; declined at a no."""
    request = ObservationRequest.objects.select_for_update().select_related("meeting").get(pk=request.pk)
    members = _members(request.meeting)
    if user.pk not in {m.user_id for m in members}:
        raise MeridianError("Only the people in this mentorship answer.")
    if request.status != ObservationStatus.ASKED:
        raise MeridianError("This request is no longer open.")
    _, created = ObservationConsent.objects.get_or_create(
        request=request, user=user, defaults={"consents": consents}
    )
    if not created:
        raise MeridianError("You have answered already.")
    yes = set(
        ObservationConsent.objects.filter(request=request, consents=True).values_list("user_id", flat=True)
    )
    if not consents:
        request.status = ObservationStatus.DECLINED
    elif yes >= {m.user_id for m in members}:
        request.status = ObservationStatus.AGREED
    if request.status != ObservationStatus.ASKED:
        request.save(update_fields=["status", "updated_at"])
        if request.requested_by is not None:
            _tell(request.requested_by, request, "observe-result", f"observe_result:{request.pk}")
    return request


@transaction.atomic
def observation_withdraw(*, request: ObservationRequest, manager: User) -> ObservationRequest:
    """The manager takes the request back (asked or agreed)."""
    request = ObservationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in STANDING:
        raise MeridianError("This request is no longer open.")
    request.status = ObservationStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    return request


def _tell(user: Any, request: ObservationRequest, template: str, key: str) -> None:
    meeting = request.meeting
    notices.notify(
        user=user,
        kind=template.replace("-", "_"),
        key=key,
        template=template,
        context={
            "why": request.why,
            "status": request.status,
            "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
            "url": absolute_url("portal:workspace", meeting.mentorship.public_id),
        },
        mentorship=meeting.mentorship,
        counts_toward_cap=False,
    )
