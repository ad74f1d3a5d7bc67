"""What the observation section of a mentorship's page shows (three queries): to the
program's managers, the pair's next booked sessions, each with its request's state (never
who said no) and a form to ask; to the pair's current members, the requests to answer and
those answered. Nothing for anyone else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meridian.core import permissions
from meridian.engagement.models import ObservationConsent, ObservationRequest, ObservationStatus
from meridian.engagement.observe import MAX_WHY
from meridian.mentorships.models import Mentorship
from meridian.scheduling.models import Meeting, MeetingStatus

SESSIONS_SHOWN = 3


class AskForm(forms.Form):
    why = forms.CharField(
        label=_("Why you would like to observe"),
        max_length=MAX_WHY,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The pair reads this before they decide. It happens only if both say yes."),
    )


@dataclass
class Session:
    meeting: Meeting
    request: ObservationRequest | None  # the latest request on it, if any
    ask_form: AskForm | None = None
    my_answer: bool | None = None  # a member's own answer


def section_context(
    mentorship: Mentorship, user: Any, *, failed: tuple[Any, AskForm] | None = None, done: str = ""
) -> dict[str, Any]:
    manages = permissions.may_manage_program(user, mentorship.program)
    member = not manages and permissions.takes_part(user, mentorship)
    if not (manages or member):
        return {"shown": False}
    consents = ObservationConsent.objects.filter(user=user)
    requests = ObservationRequest.objects.order_by("-created_at", "-id").prefetch_related(
        Prefetch("consents", queryset=consents, to_attr="mine")
    )
    meetings = (
        Meeting.objects.filter(
            mentorship=mentorship, status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .prefetch_related(Prefetch("observation_requests", queryset=requests, to_attr="requests"))[
            :SESSIONS_SHOWN
        ]
    )
    sessions = []
    for meeting in meetings:
        found: list[ObservationRequest] = getattr(meeting, "requests", [])
        latest = found[0] if found else None
        session = Session(meeting, latest)
        if manages and (
            latest is None or latest.status not in (ObservationStatus.ASKED, ObservationStatus.AGREED)
        ):
            session.ask_form = (
                failed[1] if failed and failed[0] == meeting.pk else AskForm(auto_id=f"id_{meeting.pk}_%s")
            )
        if member and latest is not None:
            mine = getattr(latest, "mine", [])
            session.my_answer = mine[0].consents if mine else None
        if manages or (latest is not None and latest.status != ObservationStatus.WITHDRAWN):
            sessions.append(session)
    return {
        "shown": manages or bool(sessions),
        "manages": manages,
        "mentorship": mentorship,
        "sessions": sessions,
        "done": done,
    }
