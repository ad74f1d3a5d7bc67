"""Participants into a cohort from a participant file: all rows or none.

The file itself is read by ``matching_engine.participants`` (the same reader the
matching command uses); this module checks the rows against the database, then
writes everything in one transaction with bulk statements, so 50,000 people load
in seconds and a bad row leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from matching_engine.availability import format_availability
from matching_engine.model import Participant
from matching_engine.model import Role as EngineRole
from matching_engine.participants import RowError
from meridian.accounts.models import Profile, User
from meridian.programs.models import Cohort, Enrollment, EnrollmentSource, EnrollmentStatus

BATCH = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run or a bad file, would do)."""

    errors: tuple[RowError, ...] = ()
    new_people: int = 0
    updated_people: int = 0
    new_enrollments: int = 0
    updated_enrollments: int = 0
    mentors: int = 0
    mentees: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


@dataclass
class _Plan:
    people: Sequence[Participant]
    users: dict[str, User] = field(default_factory=dict)  # row id -> existing user
    enrollments: dict[int, Enrollment] = field(default_factory=dict)  # user pk -> enrolment
    errors: list[RowError] = field(default_factory=list)


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def participants_import(
    *,
    cohort: Cohort,
    people: Sequence[Participant],
    actor: User | None = None,
    dry_run: bool = False,
    password_hash: str | None = None,
) -> ImportReport:
    """Enrol ``people`` (already read from a valid file) in ``cohort``, approved.

    A person is found by their HR id, else by email; new people get an account
    without a password (they sign in through an invitation or a password reset).
    Checks against the database come first; any problem means nothing is written.
    """
    plan = _plan(cohort, people)
    report = _report(plan, dry_run=dry_run)
    if plan.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            _apply(cohort, plan, actor=actor, password_hash=password_hash)
    except IntegrityError:
        # Someone else created one of these people between our checks and our writes.
        message = (
            "The people changed while importing (someone signed up meanwhile); "
            "nothing was imported. Try again."
        )
        return replace(report, errors=(RowError(0, "", message),))
    return report


def _plan(cohort: Cohort, people: Sequence[Participant]) -> _Plan:
    plan = _Plan(people)
    by_external, by_email = _existing_users(people)
    for person in people:
        user = by_external.get(person.id) or by_email.get(person.email)
        if user is not None and _conflict(plan, person, user, by_email):
            continue
        if user is not None:
            plan.users[person.id] = user
    user_ids = [user.pk for user in plan.users.values()]
    for ids in chunks(user_ids):
        for enrollment in Enrollment.objects.filter(cohort=cohort, user_id__in=ids):
            plan.enrollments[enrollment.user_id] = enrollment
    return plan


def _existing_users(people: Sequence[Participant]) -> tuple[dict[str, User], dict[str, User]]:
    by_external: dict[str, User] = {}
    by_email: dict[str, User] = {}
    ids = [p.id for p in people]
    emails = [p.email for p in people]
    for part in chunks(ids):
        for profile in Profile.objects.filter(external_id__in=part).select_related("user__profile"):
            by_external[profile.external_id] = profile.user
    for part in chunks(emails):
        matches = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=part)
        for user in matches.select_related("profile"):
            by_email[user.email.lower()] = user
    return by_external, by_email


def _conflict(plan: _Plan, person: Participant, user: User, by_email: dict[str, User]) -> bool:
    """A row whose id and email point at two different people cannot be applied."""
    other = by_email.get(person.email)
    if other is not None and other.pk != user.pk:
        message = f"{person.email} already belongs to another person (HR id {_external_id(other) or 'none'})"
        plan.errors.append(RowError(person.line, "email", message))
        return True
    known_id = _external_id(user)
    if known_id and known_id != person.id:
        message = f"{person.email} is already registered with HR id {known_id}, not {person.id}"
        plan.errors.append(RowError(person.line, "id", message))
        return True
    return False


def _external_id(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.external_id if profile is not None else ""


def _report(plan: _Plan, *, dry_run: bool) -> ImportReport:
    existing = {p.id for p in plan.people if p.id in plan.users}
    updated_enrolments = sum(
        1 for p in plan.people if p.id in plan.users and plan.users[p.id].pk in plan.enrollments
    )
    mentors = sum(1 for p in plan.people if p.role == EngineRole.MENTOR)
    return ImportReport(
        errors=tuple(sorted(plan.errors, key=lambda e: e.line)),
        new_people=len(plan.people) - len(existing),
        updated_people=len(existing),
        new_enrollments=len(plan.people) - updated_enrolments,
        updated_enrollments=updated_enrolments,
        mentors=mentors,
        mentees=len(plan.people) - mentors,
        dry_run=dry_run,
    )


def _apply(cohort: Cohort, plan: _Plan, *, actor: User | None, password_hash: str | None) -> None:
    users = _write_users(plan, password_hash=password_hash)
    _write_profiles(plan, users)
    _write_enrollments(cohort, plan, users, actor=actor)


def _write_users(plan: _Plan, *, password_hash: str | None) -> dict[str, User]:
    password = password_hash or make_password(None)
    new = [
        User(email=p.email, name=p.name, time_zone=p.time_zone, password=password)
        for p in plan.people
        if p.id not in plan.users
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    changed = []
    for person in plan.people:
        user = plan.users.get(person.id)
        if user is not None:
            user.email, user.name, user.time_zone = person.email, person.name, person.time_zone
            changed.append(user)
    User.objects.bulk_update(changed, ["email", "name", "time_zone"], batch_size=BATCH)
    emails = [p.email for p in plan.people]
    users = {u.email: u for part in chunks(emails) for u in User.objects.filter(email__in=part)}
    # Emails from the file are lower-case (the reader folds them) and now stored so.
    _verify_emails([users[p.email] for p in plan.people if p.id not in plan.users])
    return {p.id: users[p.email] for p in plan.people}


def _verify_emails(users: Iterable[User]) -> None:
    """Addresses from the HR system count as verified, so people can reset a password."""
    rows = [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    EmailAddress.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


PROFILE_FIELDS = ["external_id", "manager", *Profile.MATCHING_FIELDS]


def _write_profiles(plan: _Plan, users: dict[str, User]) -> None:
    user_ids = [u.pk for u in users.values()]
    existing = {p.user_id: p for part in chunks(user_ids) for p in Profile.objects.filter(user_id__in=part)}
    new: list[Profile] = []
    changed: list[Profile] = []
    for person in plan.people:
        user = users[person.id]
        profile = existing.get(user.pk) or Profile(user=user)
        _fill_profile(profile, person, users)
        (changed if profile.pk else new).append(profile)
    Profile.objects.bulk_create(new, batch_size=BATCH)
    Profile.objects.bulk_update(changed, PROFILE_FIELDS, batch_size=BATCH)


def _fill_profile(profile: Profile, person: Participant, users: dict[str, User]) -> None:
    profile.external_id = person.id
    profile.title, profile.department = person.title, person.department
    profile.seniority = person.seniority
    profile.languages, profile.channels = list(person.languages), list(person.channels)
    profile.skills_offered, profile.skills_wanted = list(person.skills_offered), list(person.skills_wanted)
    profile.interests, profile.values = list(person.interests), list(person.values)
    profile.goals = person.goals
    profile.availability = format_availability(person.availability)
    profile.manager = users[person.manager_id] if person.manager_id else None


def _write_enrollments(cohort: Cohort, plan: _Plan, users: dict[str, User], *, actor: User | None) -> None:
    now = timezone.now()
    new: list[Enrollment] = []
    changed: list[Enrollment] = []
    for person in plan.people:
        user = users[person.id]
        enrollment = plan.enrollments.get(user.pk) or Enrollment(cohort=cohort, user=user)
        enrollment.role = str(person.role)
        enrollment.capacity = person.capacity if person.role == EngineRole.MENTOR else 1
        enrollment.status, enrollment.decided_at, enrollment.decided_by = (
            EnrollmentStatus.APPROVED,
            now,
            actor,
        )
        enrollment.updated_at = now
        if enrollment.pk is None:
            enrollment.source = EnrollmentSource.IMPORT
        (changed if enrollment.pk else new).append(enrollment)
    Enrollment.objects.bulk_create(new, batch_size=BATCH)
    Enrollment.objects.bulk_update(
        changed, ["role", "capacity", "status", "decided_at", "decided_by", "updated_at"], batch_size=BATCH
    )
    _write_exclusions(cohort, plan, users)


def _write_exclusions(cohort: Cohort, plan: _Plan, users: dict[str, User]) -> None:
    """The file says the whole truth: exclusions it no longer lists are removed."""
    ids = [users[p.id].pk for p in plan.people]
    enrollments = {
        e.user_id: e.pk
        for part in chunks(ids)
        for e in Enrollment.objects.filter(cohort=cohort, user_id__in=part)
    }
    through: Any = Enrollment.excluded.through
    for part in chunks(list(enrollments.values())):
        through.objects.filter(enrollment_id__in=part).delete()
    rows = [
        through(enrollment_id=enrollments[users[p.id].pk], user_id=users[other].pk)
        for p in plan.people
        for other in p.exclude_ids
    ]
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
