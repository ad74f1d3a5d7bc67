"""Starting mentorships: the one way a pair or a group comes to exist, from a published
matching run or from a mentor accepting a mentee's request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from meridian.mentorships.models import Member, Mentorship, MentorshipKind, MentorshipSource
from meridian.programs.models import Enrollment, Program, ProgramKind, Role


class MentorshipError(Exception):
    """A rule was broken; the message is shown as it is."""


@dataclass(frozen=True)
class Started:
    mentorship: Mentorship
    new_mentees: list[Enrollment]  # the mentees who joined it now (a group may have had others)
    created: bool  # a new mentorship, not one more mentee in a running group


def current_mentees(mentor: Enrollment) -> int:
    """How many mentees ``mentor`` has in their current mentorships."""
    return Member.objects.filter(
        role=Role.MENTEE,
        is_current=True,
        mentorship__members__enrollment=mentor,
        mentorship__members__is_current=True,
    ).count()


def capacity_of(program: Program, offered: int) -> int:
    """How many mentees a mentor takes: what they offered, or the group size in a group program."""
    return program.group_size if program.kind == ProgramKind.GROUP else offered


def room_left(mentor: Enrollment) -> int:
    """Capacity minus the current mentees."""
    return capacity_of(mentor.cohort.program, mentor.capacity) - current_mentees(mentor)


def has_current_mentorship(mentee: Enrollment) -> bool:
    return Member.objects.filter(enrollment=mentee, role=Role.MENTEE, is_current=True).exists()


def start(
    *,
    mentor: Enrollment,
    mentees: Sequence[Enrollment],
    source: str = MentorshipSource.MATCHING,
    score: float | None = None,
    why: str = "",
) -> Started:
    """Start a mentorship of ``mentor`` with ``mentees`` (a pair, or a group program's
    group: joining the mentor's current group when there is one).

    Mentees already in a current mentorship are skipped, so publishing twice moves
    nobody twice; the database's unique index enforces it even under races. Raises
    ``MentorshipError`` when none is left or the mentor has no room."""
    cohort = mentor.cohort
    group = cohort.program.kind == ProgramKind.GROUP
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=mentor.pk).first()  # one writer per mentor
        fresh = [m for m in mentees if not has_current_mentorship(m)]
        if not fresh:
            raise MentorshipError("Everyone here already has a mentor in this cohort.")
        if room_left(mentor) < len(fresh):
            raise MentorshipError("This mentor has no room left for another mentee.")
        existing = _current_group(mentor) if group else None
        mentorship = existing or Mentorship.objects.create(
            program=cohort.program,
            cohort=cohort,
            kind=MentorshipKind.GROUP if group else MentorshipKind.PAIR,
            source=source,
            started_on=timezone.localdate(),
            score=score,
            why=why[:2000],
        )
        if existing is None:
            Member.objects.create(
                mentorship=mentorship, enrollment=mentor, user_id=mentor.user_id, role=Role.MENTOR
            )
        try:
            with transaction.atomic():
                Member.objects.bulk_create(
                    Member(mentorship=mentorship, enrollment=m, user_id=m.user_id, role=Role.MENTEE)
                    for m in fresh
                )
        except IntegrityError:
            raise MentorshipError(
                "Someone here was matched at the same moment; nothing was changed."
            ) from None
    return Started(mentorship, fresh, existing is None)


def _current_group(mentor: Enrollment) -> Mentorship | None:
    return (
        Mentorship.objects.filter(
            members__enrollment=mentor,
            members__role=Role.MENTOR,
            members__is_current=True,
            kind=MentorshipKind.GROUP,
        )
        .order_by("-created_at")
        .first()
    )


def mentee_counts(mentors: Sequence[int]) -> dict[int, int]:
    """Current mentees per mentor enrolment id, in one query per 500 mentors."""
    found: dict[int, int] = {}
    for start_at in range(0, len(mentors), 500):
        rows = (
            Member.objects.filter(
                enrollment_id__in=mentors[start_at : start_at + 500], role=Role.MENTOR, is_current=True
            )
            .annotate(
                n=Count(
                    "mentorship__members",
                    filter=Q(mentorship__members__role=Role.MENTEE, mentorship__members__is_current=True),
                )
            )
            .values_list("enrollment_id", "n")
        )
        for enrollment_id, n in rows:
            found[enrollment_id] = found.get(enrollment_id, 0) + n
    return found


@dataclass(frozen=True)
class Batch:
    """One mentor and the mentees to start with them (a pair, or a group's mentees)."""

    mentor: Enrollment
    mentees: list[Enrollment]
    score: float | None = None
    why: str = ""


CHUNK = 500  # ids per IN (...) query


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def start_many(
    batches: Sequence[Batch], *, source: str = MentorshipSource.MATCHING
) -> tuple[list[Started], int]:
    """:func:`start` for many mentors at once, in a fixed number of queries per 500 people:
    the same rules (mentees already in a current mentorship are skipped, a mentor never
    goes over their room, a group program's mentees join the mentor's current group).
    Returns what started and how many mentees were skipped."""
    if not batches:
        return [], 0
    program = batches[0].mentor.cohort.program
    group = program.kind == ProgramKind.GROUP
    mentor_ids = sorted({b.mentor.pk for b in batches})
    mentee_ids = [m.pk for b in batches for m in b.mentees]
    started: list[Started] = []
    skipped = 0
    with transaction.atomic():
        for ids in _chunks(mentor_ids):  # one writer per mentor, in a fixed order
            list(Enrollment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        taken = set()
        for ids in _chunks(mentee_ids):
            current = Member.objects.filter(enrollment_id__in=ids, role=Role.MENTEE, is_current=True)
            taken |= set(current.values_list("enrollment_id", flat=True))
        load = mentee_counts(mentor_ids)
        groups = _current_groups(mentor_ids) if group else {}
        plans: list[tuple[Batch, list[Enrollment], Mentorship | None]] = []
        for b in batches:
            fresh = [m for m in b.mentees if m.pk not in taken]
            capacity = capacity_of(program, b.mentor.capacity)
            fresh = fresh[: max(0, capacity - load.get(b.mentor.pk, 0))]
            skipped += len(b.mentees) - len(fresh)
            if fresh:
                load[b.mentor.pk] = load.get(b.mentor.pk, 0) + len(fresh)
                taken |= {m.pk for m in fresh}
                plans.append((b, fresh, groups.get(b.mentor.pk)))
        new = [
            Mentorship(
                program=program,
                cohort=b.mentor.cohort,
                kind=MentorshipKind.GROUP if group else MentorshipKind.PAIR,
                source=source,
                started_on=timezone.localdate(),
                score=b.score,
                why=b.why[:2000],
            )
            for b, _, existing in plans
            if existing is None
        ]
        Mentorship.objects.bulk_create(new, batch_size=CHUNK)
        made = iter(new)
        members: list[Member] = []
        for b, fresh, existing in plans:
            mentorship = existing or next(made)
            if existing is None:
                members.append(
                    Member(
                        mentorship=mentorship, enrollment=b.mentor, user_id=b.mentor.user_id, role=Role.MENTOR
                    )
                )
            members += [
                Member(mentorship=mentorship, enrollment=m, user_id=m.user_id, role=Role.MENTEE)
                for m in fresh
            ]
            started.append(Started(mentorship, fresh, existing is None))
        try:
            with transaction.atomic():
                Member.objects.bulk_create(members, batch_size=CHUNK)
        except IntegrityError:
            raise MentorshipError(
                "Someone here was matched at the same moment; nothing was changed."
            ) from None
    return started, skipped


def _current_groups(mentor_ids: list[int]) -> dict[int, Mentorship]:
    """Each mentor's current group (the newest), by mentor enrolment id."""
    found: dict[int, Mentorship] = {}
    for ids in _chunks(mentor_ids):
        rows = (
            Member.objects.filter(
                enrollment_id__in=ids,
                role=Role.MENTOR,
                is_current=True,
                mentorship__kind=MentorshipKind.GROUP,
            )
            .select_related("mentorship")
            .order_by("mentorship__created_at")
        )
        found |= {m.enrollment_id: m.mentorship for m in rows}
    return found
