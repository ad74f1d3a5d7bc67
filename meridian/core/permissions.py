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
from typing import Any, TypeAlias

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

# Whoever asks: a signed-in account or an anonymous visitor (``request.user``).
Person: TypeAlias = AbstractBaseUser | AnonymousUser

# Enrolment states that make someone part of a cohort.
MEMBER_STATES = ("approved",)
# States in which a person still has a say over their own enrolment.
OPEN_STATES = ("invited", "applied", "approved")


def is_admin(user: Person) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_staff", False))


def may_create_program(user: Person) -> bool:
    return is_admin(user) or bool(user.is_authenticated and getattr(user, "can_create_programs", False))


def _rows(model: str) -> QuerySet[Any]:
    rows: QuerySet[Any] = apps.get_model("programs", model).objects.all()
    return rows


def _cohorts_of(user: Person, states: tuple[str, ...]) -> QuerySet[Any]:
    """Ids of the cohorts where ``user`` has an enrolment in one of ``states``."""
    return _rows("Enrollment").filter(user=user, status__in=states).values("cohort_id")


def managed_programs_q(user: Person, prefix: str = "") -> Q:
    """Programs (reached through ``prefix``, e.g. ``"cohort__program__"``) that ``user`` manages."""
    if is_admin(user):
        # Not Q(): an empty Q vanishes from an OR, and administrators see everything.
        return Q(pk__isnull=False)
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}pk__in": _rows("Program").filter(managers=user).values("pk")})


def may_manage_program(user: Person, program: Any) -> bool:
    if is_admin(user):
        return True
    return bool(user.is_authenticated and program.managers.filter(pk=user.pk).exists())


def visible_programs_q(user: Person) -> Q:
    """A program is visible to its managers, its participants, and to every signed-in
    person while one of its cohorts takes applications."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    joined = _rows("Cohort").filter(pk__in=_cohorts_of(user, OPEN_STATES)).values("program_id")
    open_now = _rows("Cohort").filter(status="open").values("program_id")
    return managed_programs_q(user) | Q(pk__in=joined) | Q(pk__in=open_now)


def may_see_program(user: Person, program: Any) -> bool:
    return bool(_rows("Program").filter(visible_programs_q(user), pk=program.pk).exists())


def visible_cohorts_q(user: Person) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    return managed_programs_q(user, "program__") | Q(pk__in=_cohorts_of(user, OPEN_STATES)) | Q(status="open")


def may_see_cohort(user: Person, cohort: Any) -> bool:
    return bool(_rows("Cohort").filter(visible_cohorts_q(user), pk=cohort.pk).exists())


def may_see_members(user: Person, cohort: Any) -> bool:
    """Cohort members see each other (name, title, bio); managers see everyone."""
    if may_manage_program(user, cohort.program):
        return True
    return bool(
        user.is_authenticated and cohort.enrollments.filter(user=user, status__in=MEMBER_STATES).exists()
    )


def visible_enrollments_q(user: Person) -> Q:
    """Managers see their programs' enrolments; a person sees their own and, once a
    member, the approved members of their cohort."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    fellow_members = Q(cohort_id__in=_cohorts_of(user, MEMBER_STATES), status__in=MEMBER_STATES)
    return managed_programs_q(user, "cohort__program__") | Q(user=user) | fellow_members


def may_see_enrollment(user: Person, enrollment: Any) -> bool:
    return bool(_rows("Enrollment").filter(visible_enrollments_q(user), pk=enrollment.pk).exists())


def may_change_enrollment(user: Person, enrollment: Any) -> bool:
    """Open the enrolment's pages that change it: the program's managers, and the person
    themself while it is still open (invited, applied or approved)."""
    if may_manage_program(user, enrollment.cohort.program):
        return True
    return bool(user.is_authenticated and enrollment.user_id == user.pk and enrollment.status in OPEN_STATES)


def may_see_import(user: Person, staged: Any) -> bool:
    """A participant file and its progress: the managers of the cohort's program."""
    return may_manage_program(user, staged.cohort.program)


def may_confirm_import(user: Person, staged: Any) -> bool:
    """Confirm (or cancel) a participant file: its managers, while it still waits."""
    return staged.status == "staged" and may_see_import(user, staged)


def may_open_invitation(user: Person, invitation: Any) -> bool:
    """An invitation is opened by whoever holds its link (the token is the key), signed in
    or not; whether it may still be accepted is the invitation's own ``is_usable``."""
    return invitation is not None


def may_see_contact(user: Person, *, person_id: int, program_id: int, managed_ids: Collection[int]) -> bool:
    """Email addresses and departments: the person themself, the program's managers and
    administrators; fellow cohort members see name, title and bio only. ``managed_ids``
    are the program ids ``user`` manages, read once for a whole list."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and person_id == user.pk) or program_id in managed_ids


def may_apply(user: Person, cohort: Any) -> bool:
    return bool(user.is_authenticated and cohort.status == "open")


def may_decide(user: Person, enrollment: Any) -> bool:
    """Approve or decline an application: the program's managers."""
    return may_manage_program(user, enrollment.cohort.program)


def may_withdraw(user: Person, enrollment: Any) -> bool:
    if enrollment.status not in OPEN_STATES:
        return False
    return bool(enrollment.user_id == user.pk or may_manage_program(user, enrollment.cohort.program))


# ---------------------------------------------------------------- mentorships and matching


def visible_mentorships_q(user: Person) -> Q:
    """A mentorship is seen by its members, its program's managers and administrators."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = apps.get_model("mentorships", "Member").objects.filter(user=user).values("mentorship_id")
    return managed_programs_q(user, "program__") | Q(pk__in=mine)


def may_see_mentorship(user: Person, mentorship: Any) -> bool:
    return bool(
        apps.get_model("mentorships", "Mentorship")
        .objects.filter(visible_mentorships_q(user), pk=mentorship.pk)
        .exists()
    )


def may_run_matching(user: Person, cohort: Any) -> bool:
    """Run, review and publish matching, and see every recommendation: the managers."""
    return may_manage_program(user, cohort.program)


def may_self_select(user: Person, enrollment: Any) -> bool:
    """A mentee picks mentors in their own approved enrolment of a self-select program."""
    return bool(
        enrollment.user_id == user.pk
        and enrollment.role == "mentee"
        and enrollment.status in MEMBER_STATES
        and enrollment.cohort.program.matching_mode in ("self_select", "both")
        and enrollment.cohort.status in ("open", "running")
    )


def may_answer_request(user: Person, request: Any) -> bool:
    """Only the mentor asked answers a request."""
    return bool(user.is_authenticated and request.mentor.user_id == user.pk)


def may_withdraw_request(user: Person, request: Any) -> bool:
    """Only the mentee who asked withdraws a request."""
    return bool(user.is_authenticated and request.mentee.user_id == user.pk)


def may_see_request(user: Person, request: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk in (request.mentee.user_id, request.mentor.user_id):
        return True
    return may_manage_program(user, request.cohort.program)


# ---------------------------------------------------------------- meetings


def visible_meetings_q(user: Person) -> Q:
    """A meeting's time, status and channel are seen by the mentorship's members, the
    program's managers and administrators (managers never see its notes)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    mine = apps.get_model("mentorships", "Member").objects.filter(user=user).values("mentorship_id")
    return managed_programs_q(user, "mentorship__program__") | Q(mentorship_id__in=mine)


def may_see_meeting(user: Person, meeting: Any) -> bool:
    return bool(
        apps.get_model("scheduling", "Meeting")
        .objects.filter(visible_meetings_q(user), pk=meeting.pk)
        .exists()
    )


def takes_part(user: Person, mentorship: Any) -> bool:
    """A current member of a current mentorship: proposes, accepts, writes notes."""
    if not user.is_authenticated or mentorship.status not in ("active", "paused"):
        return False
    members = apps.get_model("mentorships", "Member").objects
    return bool(members.filter(mentorship=mentorship, user=user, is_current=True).exists())


def may_read_notes(user: Person, mentorship: Any) -> bool:
    """Agenda, shared notes, recap and action items: the members, present or past, alone."""
    if not user.is_authenticated:
        return False
    members = apps.get_model("mentorships", "Member").objects
    return bool(members.filter(mentorship=mentorship, user=user).exists())


def may_manage_token(user: Person, token: Any) -> bool:
    """A personal API token is seen and revoked by its owner alone."""
    return bool(user.is_authenticated and token.user_id == user.pk)


# ---------------------------------------------------------------- messages


def may_message(user: Person, mentorship: Any) -> bool:
    """Read and write a mentorship's messages: its current members alone (never its
    managers, never an administrator). Uses the prefetched members when there are."""
    if not user.is_authenticated or not user.is_active:
        return False
    return any(m.user_id == user.pk and m.is_current for m in mentorship.members.all())


def may_read_messages(user: Person, mentorship: Any) -> bool:
    """Read a mentorship's messages: its current members; once it has ended, everyone who
    was in it (as its goals and shared files), never to write again. Never its managers nor
    an administrator. Uses the prefetched members when there are."""
    if not user.is_authenticated or not user.is_active:
        return False
    ended = mentorship.status not in ("active", "paused")
    return any(m.user_id == user.pk and (m.is_current or ended) for m in mentorship.members.all())


# ---------------------------------------------------------------- the pair's plan and shared files


def in_the_pair(user: Person, mentorship: Any) -> bool:
    """Goals in full (description, milestones, progress comments) and the shared links and
    files: the current members; once the mentorship has ended, everyone who was in it. A
    participant removed from a running mentorship no longer reads them."""
    if not user.is_authenticated:
        return False
    rows = apps.get_model("mentorships", "Member").objects.filter(mentorship=mentorship, user=user)
    if mentorship.status in ("active", "paused"):
        rows = rows.filter(is_current=True)
    return bool(rows.exists())


def may_see_goal_titles(user: Person, mentorship: Any) -> bool:
    """Goal titles and status are activity: the pair, the program's managers, administrators."""
    return in_the_pair(user, mentorship) or may_manage_program(user, mentorship.program)


# ---------------------------------------------------------------- closing and re-matching


def in_the_closing(user: Person, mentorship: Any) -> bool:
    """The close page and the reflections: the current members while it runs; once it has
    closed, the people who were current when it closed (never a participant removed before)."""
    if not user.is_authenticated:
        return False
    if mentorship.status in ("active", "paused"):
        return takes_part(user, mentorship)
    closures = apps.get_model("mentorships", "Closure").objects
    return bool(closures.filter(mentorship=mentorship, members=user).exists())


def may_rematch(user: Person, closure: Any) -> bool:
    """See a mentee's request to be matched again and confirm their new mentor: the
    program's managers and administrators."""
    return may_manage_program(user, closure.mentorship.program)


# ---------------------------------------------------------------- health and the check-in queue


def may_see_health(user: Person, mentorship: Any) -> bool:
    """A pair's health, its reasons, its band history and its place in the check-in queue
    (with the managers' contact log): the program's managers and administrators, never the
    pair itself nor another program's managers."""
    return may_manage_program(user, mentorship.program)


def may_see_pulse(user: Person, pulse: Any) -> bool:
    """A pulse and its answers: the person asked, and the program's managers and
    administrators (through the health reasons); never the partner."""
    if not user.is_authenticated:
        return False
    return pulse.user_id == user.pk or may_manage_program(user, pulse.mentorship.program)


def may_answer_pulse(user: Person, pulse: Any) -> bool:
    """Answer a pulse: the person asked alone, while they take part in the mentorship."""
    return bool(user.is_authenticated and pulse.user_id == user.pk and takes_part(user, pulse.mentorship))


# ---------------------------------------------------------------- the ladder: pauses and nudges


def may_pause(user: Person, mentorship: Any) -> bool:
    """Declare or end a pause of a pair: its current members while it runs."""
    return takes_part(user, mentorship)


def may_see_pauses(user: Person, mentorship: Any) -> bool:
    """A pair's pauses: its members (present or past), the program's managers, administrators."""
    return may_read_notes(user, mentorship) or may_manage_program(user, mentorship.program)


def may_ask_to_observe(user: Person, meeting: Any) -> bool:
    """Ask to observe a session, and withdraw the request: the program's managers alone."""
    return may_manage_program(user, meeting.mentorship.program)


def may_see_observation(user: Person, request: Any) -> bool:
    """A request to observe a session: the program's managers and the pair's current
    members (who answer it); nobody else."""
    mentorship = request.meeting.mentorship
    return may_manage_program(user, mentorship.program) or takes_part(user, mentorship)
