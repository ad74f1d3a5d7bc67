"""Participants out of a program, in the participant file format (CSV or XLSX)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from matching_engine import AvailabilityError, Participant, Role, parse_availability
from meridian.programs.models import Enrollment


def export_rows(enrollments: QuerySet[Enrollment]) -> list[Participant]:
    """One row per person (their first enrolment in ``enrollments``' order, so a person
    in two cohorts appears once). A person's id is their HR id, else their Meridian id;
    ``manager_id`` and ``exclude_ids`` name only people in the same file, so the file
    imports back as it is."""
    rows = list(
        enrollments.select_related("user__profile__manager__profile").prefetch_related("excluded__profile")
    )
    rows = list({row.user_id: row for row in reversed(rows)}.values())[::-1]
    ids = {row.user_id: _person_id(row.user) for row in rows}
    return [participant_of(row, ids) for row in rows]


def _person_id(user: object) -> str:
    profile = getattr(user, "profile", None)
    return (profile.external_id if profile else "") or str(getattr(user, "public_id", ""))


def participant_of(
    enrollment: Enrollment, ids: dict[int, str], excluded: Iterable[int] | None = None
) -> Participant:
    """One enrolment as a participant row; ``excluded`` (user ids) spares a read of the
    enrolment's "never match with" people when the caller has them already."""
    user = enrollment.user
    profile = getattr(user, "profile", None)
    manager_id = ids.get(profile.manager_id, "") if profile and profile.manager_id else ""
    return Participant(
        id=ids[user.pk],
        role=Role(enrollment.role),
        name=user.name,
        email=user.email,
        time_zone=user.time_zone,
        availability=_windows(profile.availability if profile else ""),
        title=profile.title if profile else "",
        department=profile.department if profile else "",
        manager_id=manager_id,
        seniority=profile.seniority if profile else None,
        languages=_strings(profile.languages if profile else []),
        skills_offered=_strings(profile.skills_offered if profile else []),
        skills_wanted=_strings(profile.skills_wanted if profile else []),
        interests=_strings(profile.interests if profile else []),
        values=_strings(profile.values if profile else []),
        goals=profile.goals if profile else "",
        channels=_strings(profile.channels if profile else []),
        capacity=enrollment.capacity,
        exclude_ids=tuple(
            ids[pk] for pk in (excluded if excluded is not None else _excluded(enrollment)) if pk in ids
        ),
    )


def _excluded(enrollment: Enrollment) -> list[int]:
    return [u.pk for u in enrollment.excluded.all()]


def _strings(items: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(item) for item in items)


def _windows(text: str) -> tuple:  # type: ignore[type-arg]
    try:
        return parse_availability(text)
    except AvailabilityError:
        return ()
