"""The one access policy: every "may this person see or do this" in pages, API and
exports is answered here, and tests walk the whole matrix of roles x objects.

Objects are read through their relations and models by name (``apps.get_model``) so
that this bottom layer imports no app above it. The queryset rules use ``IN``
subqueries rather than joins across enrolments, so a list of 50,000 enrolments costs
the same as a list of ten. Refusals surface as 404 (never confirm what exists) except
for anonymous visitors, who are sent to sign in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

# Enrolment states that make someone part of a cohort.
MEMBER_STATES = ("approved",)
# States in which a person still has a say over their own enrolment.
OPEN_STATES = ("invited", "applied", "approved")


def is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def may_create_program(user: Any) -> bool:
    return is_admin(user) or bool(user.is_authenticated and user.can_create_programs)


def _rows(model: str) -> QuerySet[Any]:
    rows: QuerySet[Any] = apps.get_model("programs", model).objects.all()
    return rows


def _cohorts_of(user: Any, states: tuple[str, ...]) -> QuerySet[Any]:
    """Ids of the cohorts where ``user`` has an enrolment in one of ``states``."""
    return _rows("Enrollment").filter(user=user, status__in=states).values("cohort_id")


def managed_programs_q(user: Any, prefix: str = "") -> Q:
    """Programs (reached through ``prefix``, e.g. ``"cohort__program__"``) that ``user`` manages."""
    if is_admin(user):
        # Not Q(): an empty Q vanishes from an OR, and administrators see everything.
        return Q(pk__isnull=False)
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}pk__in": _rows("Program").filter(managers=user).values("pk")})


def may_manage_program(user: Any, program: Any) -> bool:
    if is_admin(user):
        return True
    return bool(user.is_authenticated and program.managers.filter(pk=user.pk).exists())


def visible_programs_q(user: Any) -> Q:
    """A program is visible to its managers, its participants, and to every signed-in
    person while one of its cohorts takes applications."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    joined = _rows("Cohort").filter(pk__in=_cohorts_of(user, OPEN_STATES)).values("program_id")
    open_now = _rows("Cohort").filter(status="open").values("program_id")
    return managed_programs_q(user) | Q(pk__in=joined) | Q(pk__in=open_now)


def visible_cohorts_q(user: Any) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return managed_programs_q(user, "program__") | Q(pk__in=_cohorts_of(user, OPEN_STATES)) | Q(status="open")


def may_see_members(user: Any, cohort: Any) -> bool:
    """Cohort members see each other (name, title, bio); managers see everyone."""
    if may_manage_program(user, cohort.program):
        return True
    return bool(
        user.is_authenticated and cohort.enrollments.filter(user=user, status__in=MEMBER_STATES).exists()
    )


def visible_enrollments_q(user: Any) -> Q:
    """Managers see their programs' enrolments; a person sees their own and, once a
    member, the approved members of their cohort."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    fellow_members = Q(cohort_id__in=_cohorts_of(user, MEMBER_STATES), status__in=MEMBER_STATES)
    return managed_programs_q(user, "cohort__program__") | Q(user=user) | fellow_members


def may_see_contact(user: Any, *, person_id: int, program_id: int, managed_ids: Collection[int]) -> bool:
    """Email addresses and departments: the person themself, the program's managers and
    administrators; fellow cohort members see name, title and bio only. ``managed_ids``
    are the program ids ``user`` manages, read once for a whole list."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and person_id == user.pk) or program_id in managed_ids


def may_apply(user: Any, cohort: Any) -> bool:
    return bool(user.is_authenticated and cohort.status == "open")


def may_decide(user: Any, enrollment: Any) -> bool:
    """Approve or decline an application: the program's managers."""
    return may_manage_program(user, enrollment.cohort.program)


def may_withdraw(user: Any, enrollment: Any) -> bool:
    if enrollment.status not in OPEN_STATES:
        return False
    return bool(enrollment.user_id == user.pk or may_manage_program(user, enrollment.cohort.program))


# ---------------------------------------------------------------- mentorships and matching


def visible_mentorships_q(user: Any) -> Q:
    """A mentorship is seen by its members, its program's managers and administrators."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = apps.get_model("mentorships", "Member").objects.filter(user=user).values("mentorship_id")
    return managed_programs_q(user, "program__") | Q(pk__in=mine)


def may_run_matching(user: Any, cohort: Any) -> bool:
    """Run, review and publish matching, and see every recommendation: the managers."""
    return may_manage_program(user, cohort.program)


def may_self_select(user: Any, enrollment: Any) -> bool:
    """A mentee picks mentors in their own approved enrolment of a self-select program."""
    return bool(
        enrollment.user_id == user.pk
        and enrollment.role == "mentee"
        and enrollment.status in MEMBER_STATES
        and enrollment.cohort.program.matching_mode in ("self_select", "both")
        and enrollment.cohort.status in ("open", "running")
    )


def may_answer_request(user: Any, request: Any) -> bool:
    """Only the mentor asked answers a request."""
    return bool(user.is_authenticated and request.mentor.user_id == user.pk)


def may_see_request(user: Any, request: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk in (request.mentee.user_id, request.mentor.user_id):
        return True
    return may_manage_program(user, request.cohort.program)


# ---------------------------------------------------------------- meetings


def visible_meetings_q(user: Any) -> Q:
    """A meeting's time, status and channel are seen by the mentorship's members, the
    program's managers and administrators (managers never see its notes)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = apps.get_model("mentorships", "Member").objects.filter(user=user).values("mentorship_id")
    return managed_programs_q(user, "mentorship__program__") | Q(mentorship_id__in=mine)


def takes_part(user: Any, mentorship: Any) -> bool:
    """A current member of a current mentorship: proposes, accepts, writes notes."""
    if not user.is_authenticated or mentorship.status not in ("active", "paused"):
        return False
    members = apps.get_model("mentorships", "Member").objects
    return bool(members.filter(mentorship=mentorship, user=user, is_current=True).exists())


def may_read_notes(user: Any, mentorship: Any) -> bool:
    """Agenda, shared notes, recap and action items: the members, present or past, alone."""
    if not user.is_authenticated:
        return False
    members = apps.get_model("mentorships", "Member").objects
    return bool(members.filter(mentorship=mentorship, user=user).exists())
