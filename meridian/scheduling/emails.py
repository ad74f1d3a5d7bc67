"""The meetings' emails, one function each: rendered from ``emails/<name>-*`` and stored in
the caller's transaction, sent by a job after commit (``meridian.core.outbox``). The
calendar files themselves are built in ``invitations``."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.utils import timezone

from meridian.core.emails import send_templated
from meridian.core.links import absolute_url
from meridian.scheduling.models import Meeting, ProposedTime


def meeting_proposed(
    meeting: Meeting, *, proposer: Any, person: Any, options: Sequence[ProposedTime]
) -> None:
    """Ask ``person`` to accept one of the times ``proposer`` offered."""
    url = absolute_url("scheduling:meeting", meeting.public_id)
    context = {"meeting": meeting, "proposer": proposer, "person": person, "options": options, "url": url}
    send_templated("meeting_proposed", to=[person.email], context=context)


def meeting_declined(meeting: Meeting, *, proposer: Any, by: Any, reason: str) -> None:
    """Tell the proposer none of their times works for ``by``, and why."""
    url = absolute_url("scheduling:schedule", meeting.mentorship.public_id)
    context = {"meeting": meeting, "person": proposer, "by": by, "reason": reason, "url": url}
    send_templated("meeting_declined", to=[proposer.email], context=context)


def calendar_letter(
    name: str, *, person: Any, context: dict[str, Any], calendar: bytes, method: str, attachment: MIMEBase
) -> None:
    """A calendar invitation, update or cancellation to ``person``, its times in their zone:
    the text with the calendar file as an alternative (``method``) and as an attachment."""
    with timezone.override(zoneinfo.ZoneInfo(person.time_zone)):
        send_templated(
            name,
            to=[person.email],
            context=context,
            alternatives=[(calendar.decode(), f"text/calendar; method={method}")],
            attachments=[attachment],
        )
