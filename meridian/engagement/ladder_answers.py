"""The ladder's one-click answers (``links.ACTIONS``), each for a member of the pair only:

- ``ladder_slot``: propose the meeting at the slot the nudge offered (the partner accepts
  it as any proposal, from the meetings page or the email it gets).
- ``ladder_met`` "yes": we met. The latest meeting that has started and is not marked
  yet is marked held (the history sees a meeting held); with none to mark, a quick
  check-in says so ("We met", the mood left at "Okay"), which the history counts as
  contact. "no": nothing is recorded; the answer offers the meetings page.
- ``ladder_going`` "yes": still going. The proposed closure is withdrawn and a quick
  check-in records the answer (contact the history sees). "no": the proposal stands and
  the answer offers the close page to close it now with a reflection."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.engagement import ladder
from meridian.engagement.links import Answer
from meridian.mentorships import checkins
from meridian.mentorships.models import Mentorship, Mood
from meridian.scheduling import services
from meridian.scheduling.models import Meeting, MeetingStatus

CHOICES = ("yes", "no")


def _own(user: User, target: str) -> Mentorship:
    mentorship = Mentorship.objects.filter(public_id=target).select_related("program").first()
    if mentorship is None or not permissions.takes_part(user, mentorship):
        raise MeridianError(_("This mentorship is not yours, or it has ended."))
    return mentorship


def _choice(choice: str) -> str:
    if choice not in CHOICES:
        raise MeridianError(_("This link is not valid: it may have been cut short."))
    return choice


def propose_slot(*, user: User, target: str, choice: str) -> Answer:
    mentorship = _own(user, target)
    try:
        start = dt.datetime.fromisoformat(choice)
    except ValueError:
        raise MeridianError(_("This link is not valid: it may have been cut short.")) from None
    if timezone.is_naive(start) or start <= timezone.now():
        raise MeridianError(_("This time has passed: pick another on the meetings page."))
    proposal = services.MeetingProposal(starts=[start], minutes=mentorship.program.meeting_minutes)
    meeting = services.meeting_propose(mentorship=mentorship, user=user, proposal=proposal)
    when = date_format(start.astimezone(zoneinfo.ZoneInfo(user.time_zone)), "l j F Y, H:i")
    return Answer(
        title=_("Time proposed"),
        message=_(
            "You proposed %(when)s, your time (%(zone)s). Your partner has been asked to accept it; "
            "you will both get the invitation."
        )
        % {"when": when, "zone": user.time_zone},
        next_url=reverse("scheduling:meeting", args=[meeting.public_id]),
        next_label=_("Open the meeting"),
    )


def met(*, user: User, target: str, choice: str) -> Answer:
    mentorship = _own(user, target)
    meetings = reverse("scheduling:schedule", args=[mentorship.public_id])
    if _choice(choice) == "no":
        return Answer(
            title=_("Thank you"),
            message=_("Pick a time that suits you both: the meetings page shows your mutual times."),
            next_url=meetings,
            next_label=_("Find a time"),
        )
    unmarked = (
        Meeting.objects.filter(
            mentorship=mentorship, status=MeetingStatus.SCHEDULED, starts_at__lte=timezone.now()
        )
        .order_by("-starts_at")
        .first()
    )
    if unmarked is not None:
        services.meeting_record_outcome(meeting=unmarked, user=user, outcome=MeetingStatus.HELD)
    else:
        checkins.checkin_create(mentorship=mentorship, user=user, mood=Mood.OKAY, line=_("We met."))
    return Answer(
        title=_("Thank you"),
        message=_("Noted: you met. Keep it going: plan the next meeting."),
        next_url=meetings,
        next_label=_("Plan the next meeting"),
    )


def going(*, user: User, target: str, choice: str) -> Answer:
    mentorship = _own(user, target)
    if _choice(choice) == "no":
        return Answer(
            title=_("Thank you"),
            message=_(
                "It closes on the day we wrote. To close it now and say how it went, use the close page."
            ),
            next_url=reverse("mentorships:close", args=[mentorship.public_id]),
            next_label=_("Close it now"),
        )
    ladder.still_going(mentorship=mentorship, user=user)
    return Answer(
        title=_("Glad to hear it"),
        message=_("Your mentorship stays open. Plan your next meeting so it keeps going."),
        next_url=reverse("scheduling:schedule", args=[mentorship.public_id]),
        next_label=_("Plan a meeting"),
    )
