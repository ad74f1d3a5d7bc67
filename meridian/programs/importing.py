"""Participants into a cohort from a participant file: all rows or none.

The file itself is read by ``matching_engine.participants`` (the same reader the
matching command uses); ``import_plan`` decides what each row may do (create, update
or invite; see its rules); this module writes the plan in one transaction with
set-based statements (inserts, and upserts of changed rows only), so 20,000 people
load or reload in seconds and a bad row leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from matching_engine import Participant, RowError, format_availability
from matching_engine import Role as EngineRole
from meridian.accounts.models import Profile, User
from meridian.programs.import_plan import BATCH, ImportPlan, RowAction, chunks, import_plan
from meridian.programs.models import Cohort, Enrollment, EnrollmentSource, EnrollmentStatus
from meridian.programs.services import InvitationRequest, invitations_renew

CHANGED_SINCE_PREVIEW = (
    "Something changed since the preview (an account was created or changed meanwhile); "
    "nothing was imported. Check the new preview, then import again."
)


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run or a bad file, would do)."""

    errors: tuple[RowError, ...] = ()
    new_people: int = 0
    updated_people: int = 0
    invited_people: int = 0
    new_enrollments: int = 0
    updated_enrollments: int = 0
    mentors: int = 0
    mentees: int = 0
    dry_run: bool = False
    digest: str = ""
    created_user_ids: tuple[int, ...] = ()  # the accounts this import created (to invite them)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def enrolled(self) -> int:
        return self.new_enrollments + self.updated_enrollments


def participants_import(
    *,
    cohort: Cohort,
    people: Sequence[Participant],
    actor: User | None = None,
    dry_run: bool = False,
    password_hash: str | None = None,
    expected_digest: str | None = None,
) -> ImportReport:
    """Enrol ``people`` (already read from a valid file) in ``cohort``, approved.

    ``actor`` is the manager importing (None: the operator, from the command line); what
    each row may do is decided by ``import_plan``. New people get an account without a
    password (they sign in through an invitation or a password reset). Checks come first;
    any problem means nothing is written. With ``expected_digest`` (the preview's), a plan
    that changed since the preview is refused.
    """
    plan = import_plan(cohort, people, actor)
    report = _report(plan, dry_run=dry_run)
    if plan.errors or dry_run:
        return report
    if expected_digest is not None and expected_digest != plan.digest:
        return replace(report, errors=(RowError(0, "", CHANGED_SINCE_PREVIEW),))
    try:
        with transaction.atomic():
            created = _apply(cohort, plan, actor=actor, password_hash=password_hash)
    except IntegrityError:
        # Someone else created one of these people between our checks and our writes.
        message = (
            "The people changed while importing (someone signed up meanwhile); "
            "nothing was imported. Try again."
        )
        return replace(report, errors=(RowError(0, "", message),))
    return replace(report, created_user_ids=tuple(created))


def _report(plan: ImportPlan, *, dry_run: bool) -> ImportReport:
    enrolled = [p for p in plan.people if plan.actions.get(p.id) != RowAction.INVITE]
    updated = sum(1 for p in enrolled if p.id in plan.users and plan.users[p.id].pk in plan.enrollments)
    mentors = sum(1 for p in plan.people if p.role == EngineRole.MENTOR)
    return ImportReport(
        errors=tuple(plan.errors),
        new_people=plan.count(RowAction.CREATE),
        updated_people=plan.count(RowAction.UPDATE),
        invited_people=plan.count(RowAction.INVITE),
        new_enrollments=len(enrolled) - updated,
        updated_enrollments=updated,
        mentors=mentors,
        mentees=len(plan.people) - mentors,
        dry_run=dry_run,
        digest=plan.digest,
    )


def _apply(cohort: Cohort, plan: ImportPlan, *, actor: User | None, password_hash: str | None) -> list[int]:
    """Write the plan; the ids of the accounts it created."""
    users = _write_users(plan, password_hash=password_hash)
    enrolled = [p for p in plan.people if plan.actions[p.id] != RowAction.INVITE]
    _write_profiles(enrolled, users, plan)
    _write_enrollments(cohort, plan, enrolled, users, actor=actor)
    invited = [p for p in plan.people if plan.actions[p.id] == RowAction.INVITE]
    invitations_renew(
        cohort=cohort,
        requests=[InvitationRequest(plan.users[p.id].email, str(p.role), p.capacity) for p in invited],
        actor=actor,
    )
    return [users[p.id].pk for p in plan.people if plan.actions[p.id] == RowAction.CREATE]


def _upsert(model: type[models.Model], rows: Sequence[Any], fields: Sequence[str]) -> None:
    """Write changed rows back in one statement a batch (INSERT ... ON CONFLICT DO UPDATE):
    set-based on SQLite and PostgreSQL alike, where ``bulk_update`` builds a CASE a column."""
    if rows:
        model._default_manager.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=list(fields)
        )


def _write_users(plan: ImportPlan, *, password_hash: str | None) -> dict[str, User]:
    password = password_hash or make_password(None)
    new = [
        User(email=p.email, name=p.name, time_zone=p.time_zone, password=password)
        for p in plan.people
        if plan.actions[p.id] == RowAction.CREATE
    ]
    User.objects.bulk_create(new, batch_size=BATCH)
    changed = []
    for person in plan.people:
        user = plan.users.get(person.id)
        # Only people this import may update; never their sign-in email.
        update = plan.actions[person.id] == RowAction.UPDATE and user is not None
        if update and user and (user.name, user.time_zone) != (person.name, person.time_zone):
            user.name, user.time_zone = person.name, person.time_zone
            changed.append(user)
    _upsert(User, changed, ["name", "time_zone"])
    created = {
        u.email: u for part in chunks([u.email for u in new]) for u in User.objects.filter(email__in=part)
    }
    _verify_emails(created.values())
    return {p.id: plan.users.get(p.id) or created[p.email] for p in plan.people}


def _verify_emails(users: Iterable[User]) -> None:
    """Addresses from the HR system count as verified, so people can reset a password."""
    rows = [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    EmailAddress.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


PROFILE_FIELDS = ["external_id", "manager", *Profile.MATCHING_FIELDS]


def _write_profiles(people: Sequence[Participant], users: dict[str, User], plan: ImportPlan) -> None:
    # The plan loaded the updated people with their profiles; new people have none yet.
    existing = {u.pk: profile for u in plan.users.values() if (profile := _loaded_profile(u)) is not None}
    new: list[Profile] = []
    changed: list[Profile] = []
    for person in people:
        user = users[person.id]
        profile = existing.get(user.pk)
        if profile is None:
            profile = Profile(user=user)
            _fill_profile(profile, person, users)
            new.append(profile)
            continue
        before = _profile_values(profile)
        _fill_profile(profile, person, users)
        if _profile_values(profile) != before:
            profile.updated_at = timezone.now()
            changed.append(profile)
    Profile.objects.bulk_create(new, batch_size=BATCH)
    _upsert(Profile, changed, [*PROFILE_FIELDS, "updated_at"])


def _loaded_profile(user: User) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _profile_values(profile: Profile) -> tuple[object, ...]:
    return tuple(getattr(profile, "manager_id" if f == "manager" else f) for f in PROFILE_FIELDS)


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


ENROLLMENT_FIELDS = ["role", "capacity", "status", "decided_at", "decided_by", "updated_at"]


def _write_enrollments(
    cohort: Cohort,
    plan: ImportPlan,
    people: Sequence[Participant],
    users: dict[str, User],
    *,
    actor: User | None,
) -> None:
    now = timezone.now()
    new: list[Enrollment] = []
    changed: list[Enrollment] = []
    for person in people:
        user = users[person.id]
        enrollment = plan.enrollments.get(user.pk) or Enrollment(
            cohort=cohort, user=user, source=EnrollmentSource.IMPORT
        )
        enrollment.role = str(person.role)
        enrollment.capacity = person.capacity if person.role == EngineRole.MENTOR else 1
        enrollment.status, enrollment.decided_at, enrollment.decided_by = (
            EnrollmentStatus.APPROVED,
            now,
            actor,
        )
        enrollment.updated_at = now
        (changed if enrollment.pk else new).append(enrollment)
    Enrollment.objects.bulk_create(new, batch_size=BATCH)
    _upsert(Enrollment, changed, ENROLLMENT_FIELDS)
    _write_exclusions(cohort, people, users)


def _write_exclusions(cohort: Cohort, people: Sequence[Participant], users: dict[str, User]) -> None:
    """The file says the whole truth: exclusions it no longer lists are removed."""
    ids = [users[p.id].pk for p in people]
    enrollments = {
        e.user_id: e.pk
        for part in chunks(ids)
        for e in Enrollment.objects.filter(cohort=cohort, user_id__in=part).only("pk", "user_id")
    }
    through: Any = Enrollment.excluded.through
    for part in chunks(list(enrollments.values())):
        through.objects.filter(enrollment_id__in=part).delete()
    rows = [
        through(enrollment_id=enrollments[users[p.id].pk], user_id=users[other].pk)
        for p in people
        for other in p.exclude_ids
    ]
    through.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
