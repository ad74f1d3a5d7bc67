"""People named so that a manager can tell them apart: a name shared by two members of
the cohort is followed by the HR id, or else the email address."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from meridian.programs.models import Cohort, Enrollment


def twins(cohort: Cohort) -> frozenset[str]:
    """The names that more than one member of ``cohort`` has (one query)."""
    rows = (
        Enrollment.objects.filter(cohort=cohort)
        .values("user__name")
        .annotate(people=Count("user", distinct=True))
        .filter(people__gt=1)
    )
    return frozenset(str(row["user__name"]) for row in rows)


def apart(user: Any) -> str:
    """What tells ``user`` apart from another of the same name."""
    profile = getattr(user, "profile", None)
    hr_id = getattr(profile, "external_id", "") if profile is not None else ""
    return f"HR id {hr_id}" if hr_id else str(user.email)


def label(user: Any, same_names: frozenset[str]) -> str:
    """``user``'s name, with what tells them apart when another member shares it."""
    name = str(user.name)
    return f"{name} ({apart(user)})" if name in same_names else name


def label_of(name: str, email: str, hr_id: str | None, same_names: frozenset[str]) -> str:
    """:func:`label` from the values of a row (``values_list``)."""
    if name not in same_names:
        return name
    return f"{name} (HR id {hr_id})" if hr_id else f"{name} ({email})"
