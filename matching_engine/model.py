"""The engine's input types: frozen dataclasses, shared by every stage."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

MINUTES_PER_DAY = 24 * 60
SLOT_MINUTES = 15
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CHANNELS = ("video", "phone", "email", "messages")


class Role(enum.StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """A weekly window in a person's own time zone.

    ``weekday`` is 0=Mon..6=Sun; ``start`` and ``end`` are minutes after local
    midnight on 15-minute steps, ``0 <= start < end <= 1440`` (1440 is 24:00).
    """

    weekday: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Participant:
    """One row of the participant file (see shared/PARTICIPANTS-CSV.md)."""

    id: str
    role: Role
    name: str
    email: str
    time_zone: str
    availability: tuple[Window, ...] = ()
    title: str = ""
    department: str = ""
    manager_id: str = ""
    seniority: int | None = None
    languages: tuple[str, ...] = ()
    skills_offered: tuple[str, ...] = ()
    skills_wanted: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    goals: str = ""
    channels: tuple[str, ...] = ()
    capacity: int = 1
    exclude_ids: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)
