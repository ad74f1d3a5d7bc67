"""An unresponsive partner: a member tells the program's managers what they tried and
since when. The report is addressed to the managers, who read it (date, the reporter's
role, since when, what was tried); it carries no message of the pair."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.mentorships.models import Member, Mentorship, UnresponsiveReport

MAX_TRIED = 1000
OLDEST = dt.timedelta(days=366)


def clean_tried(text: str) -> str:
    if "\x00" in text:
        raise MeridianError("This text contains a character that cannot be stored.", field="tried")
    text = text.strip()
    if not text:
        raise MeridianError("Say what you tried, so the program team can help.", field="tried")
    if len(text) > MAX_TRIED:
        raise MeridianError(f"Keep this to {MAX_TRIED} characters.", field="tried")
    return text


def clean_since(since: dt.date, today: dt.date) -> dt.date:
    if since > today:
        raise MeridianError("Pick a day that has passed.", field="since")
    if since < today - OLDEST:
        raise MeridianError("Pick a day within the last year.", field="since")
    return since


@transaction.atomic
def report_unresponsive(
    *, mentorship: Mentorship, user: Any, since: dt.date, tried: str
) -> UnresponsiveReport:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError("Only the people in this mentorship report it.")
    member = Member.objects.get(mentorship=mentorship, user=user, is_current=True)
    today = timezone.localdate(timezone=_zone(user))
    return UnresponsiveReport.objects.create(
        mentorship=mentorship,
        reporter=user,
        reporter_role=member.role,
        since=clean_since(since, today),
        tried=clean_tried(tried),
    )


def _zone(user: Any) -> ZoneInfo:
    return ZoneInfo(user.time_zone or "UTC")


def reports_of(mentorship: Mentorship) -> list[UnresponsiveReport]:
    return list(UnresponsiveReport.objects.filter(mentorship=mentorship).select_related("reporter"))
