"""Starting mentorships: the one way a pair or a group comes to exist, from a published
matching run or from a mentor accepting a mentee's request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from meridian.core.errors import Conflict, MeridianError
from meridian.mentorships.models import Member, Mentorship, MentorshipKind, MentorshipSource
from meridian.programs.models import Enrollment, Program, ProgramKind, Role


@dataclass(frozen=True)
class Started:
    mentorship: Mentorship
    new_mentees: list[Enrollment]  # the mentees who joined it now (a group may have had others)
    created: bool  # a new mentorship, not one more mentee in a running group


def capacity_of(program: Program, offered: int) -> int:
    """How many mentees a mentor takes: what they offered, or the group size in a group program."""
    return program.group_size if program.kind == ProgramKind.GROUP else offered


def room_left(mentor: Enrollment) -> int:
    """Capacity minus the current mentees."""
    taken = mentee_counts([mentor.pk]).get(mentor.pk, 0)
    return capacity_of(mentor.cohort.program, mentor.capacity) - taken


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

    The rules are :func:`start_many`'s, for one mentor; but where the bulk start skips,
    this one refuses with ``MeridianError``: when every mentee already has a mentor, or
    the mentor has no room for all who are left."""
    batch = Batch(mentor, list(mentees), score, why)
    with transaction.atomic():
        _lock_mentors([mentor.pk])
        taken = _current_mentees([m.pk for m in batch.mentees])
        fresh = [m for m in batch.mentees if m.pk not in taken]
        if not fresh:
            raise MeridianError("Everyone here already has a mentor in this cohort.")
        if room_left(mentor) < len(fresh):
            raise MeridianError("This mentor has no room left for another mentee.")
        started, _skipped = start_many(batches=[batch], source=source)
    return started[0]


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
    *, batches: Sequence[Batch], source: str = MentorshipSource.MATCHING
) -> tuple[list[Started], int]:
    """Start the mentorships of many mentors at once, in a fixed number of queries per 500
    people; the one implementation of the rules (:func:`start` is this for one mentor):
    mentees already in a current mentorship are skipped, a mentor never goes over their
    room (the mentees beyond it are skipped), a group program's mentees join the mentor's
    current group. Returns what started and how many mentees were skipped."""
    if not batches:
        return [], 0
    program = batches[0].mentor.cohort.program
    group = program.kind == ProgramKind.GROUP
    mentor_ids = sorted({b.mentor.pk for b in batches})
    mentee_ids = [m.pk for b in batches for m in b.mentees]
    started: list[Started] = []
    skipped = 0
    with transaction.atomic():
        _lock_mentors(mentor_ids)
        taken = _current_mentees(mentee_ids)
        load = mentee_counts(mentor_ids)
        groups = _current_groups(mentor_ids) if group else {}
        plans: list[tuple[Batch, list[Enrollment], Mentorship, bool]] = []
        new: list[Mentorship] = []
        for b in batches:
            fresh = [m for m in b.mentees if m.pk not in taken]
            capacity = capacity_of(program, b.mentor.capacity)
            fresh = fresh[: max(0, capacity - load.get(b.mentor.pk, 0))]
            skipped += len(b.mentees) - len(fresh)
            if not fresh:
                continue
            load[b.mentor.pk] = load.get(b.mentor.pk, 0) + len(fresh)
            taken |= {m.pk for m in fresh}
            mentorship = groups.get(b.mentor.pk)
            if mentorship is None:
                mentorship = Mentorship(
                    program=program,
                    cohort=b.mentor.cohort,
                    kind=MentorshipKind.GROUP if group else MentorshipKind.PAIR,
                    source=source,
                    started_on=timezone.localdate(),
                    score=b.score,
                    why=b.why[:2000],
                )
                new.append(mentorship)
                if group:  # the mentor's later batches join this group
                    groups[b.mentor.pk] = mentorship
                plans.append((b, fresh, mentorship, True))
            else:
                plans.append((b, fresh, mentorship, False))
        Mentorship.objects.bulk_create(new, batch_size=CHUNK)
        members: list[Member] = []
        for b, fresh, mentorship, created in plans:
            if created:
                members.append(
                    Member(
                        mentorship=mentorship, enrollment=b.mentor, user_id=b.mentor.user_id, role=Role.MENTOR
                    )
                )
            members += [
                Member(mentorship=mentorship, enrollment=m, user_id=m.user_id, role=Role.MENTEE)
                for m in fresh
            ]
            started.append(Started(mentorship, fresh, created))
        try:
            with transaction.atomic():
                Member.objects.bulk_create(members, batch_size=CHUNK)
        except IntegrityError:
            raise Conflict("Someone here was matched at the same moment; nothing was changed.") from None
    return started, skipped


def _lock_mentors(mentor_ids: list[int]) -> None:
    """One writer per mentor, locked in a fixed order (no deadlock between two starts)."""
    for ids in _chunks(sorted(mentor_ids)):
        list(Enrollment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _current_mentees(mentee_ids: list[int]) -> set[int]:
    """Which of these mentee enrolments are already in a current mentorship."""
    taken: set[int] = set()
    for ids in _chunks(mentee_ids):
        current = Member.objects.filter(enrollment_id__in=ids, role=Role.MENTEE, is_current=True)
        taken |= set(current.values_list("enrollment_id", flat=True))
    return taken


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
