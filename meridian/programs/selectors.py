"""Reads with a fixed number of queries, and the access choke points."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.paging import paginate
from meridian.core.permissions import Person
from meridian.programs.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    Invitation,
    Program,
    Role,
    StagedImport,
)

PAGE_SIZE = 50


def parse_uuid(value: Any) -> uuid.UUID:
    """A UUID typed into a form or a query string (addresses use ``<uuid:...>``); else 404."""
    try:
        return uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error


def get_program_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Program:
    """The program if ``user`` may see it (or manage it, with ``write``); else 404."""
    program = Program.objects.filter(public_id=public_id).first()
    if program is None:
        raise Http404
    allowed = (
        permissions.may_manage_program(user, program) if write else permissions.may_see_program(user, program)
    )
    if not allowed:
        raise Http404
    return program


def get_cohort_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Cohort:
    """The cohort if ``user`` may see it (or manage its program, with ``write``); else 404."""
    cohort = Cohort.objects.select_related("program").filter(public_id=public_id).first()
    if cohort is None:
        raise Http404
    allowed = (
        permissions.may_manage_program(user, cohort.program)
        if write
        else permissions.may_see_cohort(user, cohort)
    )
    if not allowed:
        raise Http404
    return cohort


STAGED_FOR = timedelta(hours=24)


def get_staged_import_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> StagedImport:
    """A participant file of a cohort ``user`` manages: while it waits for confirmation
    (24 hours), and afterwards to follow its job. ``write``: only while it still waits."""
    staged = (
        StagedImport.objects.select_related("cohort__program")
        .filter(public_id=public_id, created_at__gte=timezone.now() - STAGED_FOR)
        .first()
    )
    if staged is None:
        raise Http404
    allowed = (
        permissions.may_confirm_import(user, staged) if write else permissions.may_see_import(user, staged)
    )
    if not allowed:
        raise Http404
    return staged


def get_enrollment_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Enrollment:
    """Read: anyone the policy lets see it. Write: the program's managers, and its owner
    while it is open."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user").filter(public_id=public_id).first()
    )
    if enrollment is None:
        raise Http404
    allowed = (
        permissions.may_change_enrollment(user, enrollment)
        if write
        else permissions.may_see_enrollment(user, enrollment)
    )
    if not allowed:
        raise Http404
    return enrollment


def get_invitation_for_user(user: Person, token: str, *, write: bool = False) -> Invitation:
    """The invitation its link names (the token is the key: anyone holding it may open it,
    and accept it while it is usable); else 404. ``write`` is the same as reading."""
    invitation = (
        Invitation.objects.select_related("cohort__program", "invited_by").filter(token=token[:64]).first()
    )
    if invitation is None or not permissions.may_open_invitation(user, invitation):
        raise Http404
    return invitation


def programs_for_list(user: Person) -> QuerySet[Program]:
    members = Q(cohorts__enrollments__status=EnrollmentStatus.APPROVED)
    return Program.objects.visible_to(user).annotate(
        cohort_count=Count("cohorts", distinct=True),
        member_count=Count("cohorts__enrollments", filter=members, distinct=True),
    )


def cohorts_with_counts(program: Program) -> QuerySet[Cohort]:
    return program.cohorts.annotate(
        mentors=Count(
            "enrollments",
            filter=Q(enrollments__status=EnrollmentStatus.APPROVED, enrollments__role=Role.MENTOR),
        ),
        mentees=Count(
            "enrollments",
            filter=Q(enrollments__status=EnrollmentStatus.APPROVED, enrollments__role=Role.MENTEE),
        ),
        pending=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.APPLIED)),
    )


@dataclass(frozen=True)
class EnrollmentFilters:
    q: str = ""
    cohort: str = ""
    role: str = ""
    status: str = ""
    department: str = ""
    sort: str = "name"


SORTS = {
    "name": ("user__name",),
    "-name": ("-user__name",),
    "applied": ("created_at",),
    "-applied": ("-created_at",),
    "department": ("user__profile__department", "user__name"),
}


def enrollment_table(program: Program, filters: EnrollmentFilters, page: Any) -> Page[Enrollment]:
    """One page of a program's enrolments: 3 queries (count, ids, rows) whatever the size."""
    rows = enrollment_rows(program, filters)
    return paginate(
        rows, page, per_page=PAGE_SIZE, fetch=lambda qs: qs.select_related("user__profile", "cohort")
    )


def enrollment_rows(program: Program, filters: EnrollmentFilters) -> QuerySet[Enrollment]:
    """A program's enrolments, searched, filtered and sorted as the table shows them."""
    rows = Enrollment.objects.filter(cohort__program=program)
    if filters.q:
        rows = rows.filter(Q(user__name__icontains=filters.q) | Q(user__email__icontains=filters.q))
    if filters.cohort:
        rows = rows.filter(cohort__public_id=parse_uuid(filters.cohort))
    for name, lookup in (("role", "role"), ("status", "status"), ("department", "user__profile__department")):
        if value := getattr(filters, name):
            rows = rows.filter(**{lookup: value})
    return rows.order_by(*SORTS.get(filters.sort, SORTS["name"]), "pk")


def departments(program: Program) -> list[str]:
    return list(
        Enrollment.objects.filter(cohort__program=program)
        .exclude(user__profile__department="")
        .values_list("user__profile__department", flat=True)
        .distinct()
        .order_by("user__profile__department")
    )


MEMBERS_PER_PAGE = 24


def cohort_members(cohort: Cohort, search: str, page: Any) -> Page[Enrollment]:
    """One page of a cohort's approved members (mentors first, by name), searched by
    name, title or department: 3 queries (count, ids, rows) whatever the cohort's size.
    Members see each other's name, title and department, never the email, so the
    search looks at those alone."""
    rows = cohort.enrollments.members()
    if search:
        rows = rows.filter(
            Q(user__name__icontains=search)
            | Q(user__profile__title__icontains=search)
            | Q(user__profile__department__icontains=search)
        )
    return paginate(
        rows.order_by("-role", "user__name", "pk"),  # mentors first
        page,
        per_page=MEMBERS_PER_PAGE,
        fetch=lambda qs: qs.select_related("user__profile"),
    )


def pending_invitations(cohort: Cohort) -> QuerySet[Invitation]:
    return cohort.invitations.filter(accepted_at__isnull=True).order_by("-created_at")


def my_enrollments(user: User) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(user=user)
        .exclude(status=EnrollmentStatus.DECLINED)
        .select_related("cohort__program")
        # matched here already: no "Choose your mentor" (mentorships sit above programs,
        # reached by the reverse relation's name)
        .annotate(current_pairs=Count("memberships", filter=Q(memberships__is_current=True)))
        .order_by("-cohort__starts_on")
    )


def open_cohorts_for(user: User) -> QuerySet[Cohort]:
    open_states = [EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED, EnrollmentStatus.INVITED]
    mine = Enrollment.objects.filter(user=user, status__in=open_states)
    return (
        Cohort.objects.filter(status="open")
        .exclude(pk__in=mine.values("cohort"))
        .select_related("program")
        .order_by("starts_on")
    )
