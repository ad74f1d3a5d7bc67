"""The program manager's home: what waits for them, then how their programs stand.

One query whatever the number of programs: each program row carries its counts (and the
page each to-do links to) as subqueries. Mentorships, matching runs and mentee requests
are higher layers than programs, so their models are reached by name, never imported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from meridian.programs.models import Enrollment, EnrollmentStatus, Invitation, Program


@dataclass(frozen=True)
class ToDo:
    count: int
    text: str
    url: str


def _count(rows: QuerySet[Any], by: str) -> Coalesce:
    counted = rows.order_by().values(by).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _first(rows: QuerySet[Any], field: str) -> Subquery:
    return Subquery(rows.order_by("-created_at").values(field)[:1])


def managed_programs(user: Any) -> QuerySet[Program]:
    """The programs ``user`` manages, each with its counts (one query)."""
    mentorship = apps.get_model("mentorships", "Mentorship")
    member = apps.get_model("mentorships", "Member")
    run = apps.get_model("matching", "MatchRun")
    request = apps.get_model("matching", "MentorRequest")
    now = timezone.now()
    program = OuterRef("pk")
    enrollments = Enrollment.objects.filter(cohort__program=program)
    approved = enrollments.members()
    in_a_pair = member.objects.filter(enrollment=OuterRef("pk"), is_current=True)
    invitations = Invitation.objects.filter(
        cohort__program=program, accepted_at__isnull=True, expires_at__gt=now
    )
    ready = run.objects.filter(cohort__program=program, status="done")
    unmatched = member.objects.filter(enrollment=OuterRef("mentee"), is_current=True)
    closure = apps.get_model("mentorships", "Closure")
    rematches = closure.objects.filter(
        mentorship__program=program, rematch_requested_at__isnull=False, rematched_as__isnull=True
    )
    today = timezone.localdate()
    waiting = (
        apps.get_model("engagement", "QueueItem")
        .objects.filter(mentorship__program=program, mentorship__status__in=("active", "paused"))
        .filter(
            Q(resolved_at=None, due_on__lte=today) & (Q(snoozed_until=None) | Q(snoozed_until__lte=today))
        )
        .order_by()
        .values("mentorship__program")
        .annotate(n=Count("mentorship", distinct=True))
        .values("n")
    )
    overdue = request.objects.filter(
        cohort__program=program, status__in=("pending", "expired"), deadline__lte=now
    ).exclude(Exists(unmatched))
    return (
        Program.objects.managed_by(user)
        .annotate(
            participants=_count(approved, "cohort__program"),
            matched=_count(approved.filter(Exists(in_a_pair)), "cohort__program"),
            active_pairs=_count(mentorship.objects.filter(program=program, status="active"), "program"),
            applied=_count(enrollments.filter(status=EnrollmentStatus.APPLIED), "cohort__program"),
            invited=_count(invitations, "cohort__program"),
            invited_cohort=_first(invitations, "cohort__public_id"),
            ready_runs=_count(ready, "cohort__program"),
            ready_run=_first(ready, "public_id"),
            overdue=_count(overdue, "cohort__program"),
            overdue_cohort=_first(overdue, "cohort__public_id"),
            rematches=_count(rematches, "mentorship__program"),
            rematch_first=Subquery(rematches.order_by("rematch_requested_at").values("public_id")[:1]),
            to_contact=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
        )
        .order_by("-starts_on", "name")
    )


def to_do(programs: list[Program]) -> list[ToDo]:
    """What waits for the manager, program by program, with where to do it."""
    items = []
    for p in programs:
        row: Any = p
        waiting = (  # how many, what it says, where to do it (view, its argument, a query)
            (
                row.applied,
                ngettext(
                    "%(n)d application waits for a decision in %(name)s",
                    "%(n)d applications wait for a decision in %(name)s",
                    row.applied,
                ),
                ("programs:enrollments", p.public_id, "?status=applied"),
            ),
            (
                row.invited,
                ngettext(
                    "%(n)d invitation not accepted yet in %(name)s",
                    "%(n)d invitations not accepted yet in %(name)s",
                    row.invited,
                ),
                ("programs:invite", row.invited_cohort, ""),
            ),
            (
                row.ready_runs,
                ngettext(
                    "%(n)d matching run ready to publish in %(name)s",
                    "%(n)d matching runs ready to publish in %(name)s",
                    row.ready_runs,
                ),
                ("matching:run", row.ready_run, ""),
            ),
            (
                row.overdue,
                ngettext(
                    "%(n)d mentee's request passed its deadline unanswered in %(name)s",
                    "%(n)d mentees' requests passed their deadline unanswered in %(name)s",
                    row.overdue,
                ),
                ("matching:cohort", row.overdue_cohort, ""),
            ),
            (
                row.rematches,
                ngettext(
                    "%(n)d mentee asks to be matched again in %(name)s",
                    "%(n)d mentees ask to be matched again in %(name)s",
                    row.rematches,
                ),
                ("matching:rematch", row.rematch_first, ""),
            ),
            (
                row.to_contact,
                ngettext(
                    "%(n)d pair to contact in %(name)s",
                    "%(n)d pairs to contact in %(name)s",
                    row.to_contact,
                ),
                ("engagement:queue", p.public_id, ""),
            ),
        )
        for n, text, (view, arg, query) in waiting:
            if n:
                items.append(ToDo(n, text % {"n": n, "name": p.name}, reverse(view, args=[arg]) + query))
    return items


def manager_home(user: Any) -> dict[str, Any] | None:
    """The manager's part of the home page, or None for someone who manages nothing."""
    programs = list(managed_programs(user))
    if not programs:
        return None
    return {"programs": programs, "to_do": to_do(programs)}
