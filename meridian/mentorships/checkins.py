"""Quick check-ins (D6): a mood and one optional line between formal sessions, sent by
either member and shown to the partner. Each counts as contact (``created_at``); the line
is the pair's alone, the program's managers see counts and dates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.mentorships.models import CheckIn, Mentorship, Mood

MAX_LINE = 280
RECENT = 5


def clean_line(line: str) -> str:
    if "\x00" in line:
        raise MeridianError("This line contains a character that cannot be stored.", field="line")
    text = " ".join(line.split())
    if len(text) > MAX_LINE:
        raise MeridianError(f"Keep it to one line of {MAX_LINE} characters.", field="line")
    return text


@transaction.atomic
def checkin_create(*, mentorship: Mentorship, user: Any, mood: int, line: str = "") -> CheckIn:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError("Only the people in this mentorship check in.")
    if mood not in Mood.values:
        raise MeridianError("Pick how things are, from 1 to 5.", field="mood")
    return CheckIn.objects.create(mentorship=mentorship, author=user, mood=mood, line=clean_line(line))


def recent(mentorship: Mentorship, limit: int = RECENT) -> list[CheckIn]:
    """The newest check-ins with their authors, one query (for the pair only)."""
    return list(CheckIn.objects.filter(mentorship=mentorship).select_related("author")[:limit])


@dataclass(frozen=True)
class Activity:
    """What the program's managers see: how many, and when the last was."""

    count: int
    last_at: Any


def activity(mentorship: Mentorship) -> Activity:
    found = CheckIn.objects.filter(mentorship=mentorship).aggregate(n=Count("pk"), last=Max("created_at"))
    return Activity(found["n"], found["last"])
