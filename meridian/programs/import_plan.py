"""What an import would do to each row, decided before anything is written.

The rules that keep an import from reaching into other programs (and from taking over
accounts):

- an existing account is *updated* (name, zone, profile, enrolment) only when it is
  already a participant (applied or approved) of a program the importing person
  manages; administrators manage every program; the command line (no actor) is the
  operator and may update any participant;
- staff and administrator accounts are never updated by an import;
- any other existing account named in the file is *invited* to the cohort (they accept
  or not): nothing of theirs changes and nothing about them is shown;
- an import never changes an account's sign-in email;
- HR ids are unique in the organisation; an HR id that belongs to someone outside the
  importer's programs is refused without saying whose it is.

The plan has a digest: the preview shows it, the confirm recomputes it, and a confirm
whose digest differs (someone signed up meanwhile) is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from django.db.models import QuerySet
from django.db.models.functions import Lower

from matching_engine import Participant, RowError
from meridian.accounts.models import Profile, User
from meridian.core import permissions
from meridian.programs.models import Cohort, Enrollment, EnrollmentStatus, Program

BATCH = 2000
T = TypeVar("T")
# Enrolment states in which a person has joined a program (and shares their profile with it).
JOINED = (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED)


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    INVITE = "invite"


@dataclass
class ImportPlan:
    people: Sequence[Participant]
    actions: dict[str, RowAction] = field(default_factory=dict)  # row id -> action
    users: dict[str, User] = field(default_factory=dict)  # row id -> existing account
    enrollments: dict[int, Enrollment] = field(default_factory=dict)  # user pk -> enrolment here
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: RowAction) -> int:
        return sum(1 for a in self.actions.values() if a == action)

    @property
    def digest(self) -> str:
        """A fingerprint of every decision: equal digests mean the same promise."""
        parts = [
            f"{p.id}:{self.actions.get(p.id, '')}:{getattr(self.users.get(p.id), 'pk', 0)}:"
            f"{getattr(self.enrollments.get(getattr(self.users.get(p.id), 'pk', 0)), 'pk', 0)}"
            for p in self.people
        ]
        parts += [str(e) for e in self.errors]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_plan(cohort: Cohort, people: Sequence[Participant], actor: User | None) -> ImportPlan:
    """Decide, for each row, to create, update or invite, or refuse it with a reason."""
    plan = ImportPlan(people)
    by_external, by_email = _existing_users(people)
    candidates = {u.pk for u in (*by_external.values(), *by_email.values())}
    in_scope = _participants_in_scope(candidates, actor)
    for person in people:
        _decide(plan, person, by_external.get(person.id), by_email.get(person.email), in_scope)
    updated = [plan.users[pid].pk for pid, action in plan.actions.items() if action == RowAction.UPDATE]
    for ids in chunks(updated):
        for enrollment in Enrollment.objects.filter(cohort=cohort, user_id__in=ids):
            plan.enrollments[enrollment.user_id] = enrollment
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _decide(
    plan: ImportPlan, person: Participant, by_id: User | None, by_mail: User | None, in_scope: set[int]
) -> None:
    def refuse(column: str, message: str) -> None:
        plan.errors.append(RowError(person.line, column, message))

    if by_id is not None and by_mail is not None and by_id.pk != by_mail.pk:
        if {by_id.pk, by_mail.pk} <= in_scope:
            refuse(
                "email",
                f"{person.email} already belongs to another person (HR id {_hr_id(by_mail) or 'none'})",
            )
        else:
            refuse("id", f"HR id {person.id} belongs to another person in this organisation; check the id")
        return
    user = by_id or by_mail
    if user is None:
        plan.actions[person.id] = RowAction.CREATE
        return
    if user.pk not in in_scope:
        if by_mail is None:
            refuse("id", f"HR id {person.id} belongs to another person in this organisation; check the id")
            return
        plan.actions[person.id], plan.users[person.id] = RowAction.INVITE, user
        return
    if by_mail is None:
        refuse(
            "email",
            f"HR id {person.id} is {user.name} <{user.email}>: an import never changes a sign-in address "
            f"(they change it on their own profile); correct the email in the file",
        )
        return
    known = _hr_id(user)
    if known and known != person.id:
        refuse("id", f"{person.email} is already registered with HR id {known}, not {person.id}")
        return
    plan.actions[person.id], plan.users[person.id] = RowAction.UPDATE, user


def _existing_users(people: Sequence[Participant]) -> tuple[dict[str, User], dict[str, User]]:
    """Accounts named by the rows' emails and HR ids, each loaded once with its profile."""
    by_email: dict[str, User] = {}
    for part in chunks([p.email for p in people]):
        matches = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=part)
        for user in matches.select_related("profile"):
            by_email[user.email.lower()] = user
    loaded = {user.pk: user for user in by_email.values()}
    owners: dict[str, int] = {}
    for part in chunks([p.id for p in people]):
        owners.update(Profile.objects.filter(external_id__in=part).values_list("external_id", "user_id"))
    missing = sorted(set(owners.values()) - set(loaded))
    for ids in chunks(missing):
        loaded.update((u.pk, u) for u in User.objects.filter(pk__in=ids).select_related("profile"))
    return {hr_id: loaded[user_id] for hr_id, user_id in owners.items()}, by_email


def _participants_in_scope(candidates: set[int], actor: User | None) -> set[int]:
    """Which of ``candidates`` an import by ``actor`` may update: participants of the
    programs ``actor`` manages (every program for the operator), never staff."""
    ids = sorted(candidates)
    found: set[int] = set()
    for part in chunks(ids):
        rows = Enrollment.objects.filter(user_id__in=part, status__in=JOINED)
        rows = rows.filter(user__is_staff=False, user__is_superuser=False)
        if actor is not None:
            rows = rows.filter(cohort__program__in=_managed_programs(actor))
        found.update(rows.values_list("user_id", flat=True))
        if actor is None:
            # The operator also updates accounts that joined no program yet (never staff).
            plain = User.objects.filter(pk__in=part, is_staff=False, is_superuser=False)
            found.update(plain.values_list("pk", flat=True))
    return found


def _managed_programs(actor: User) -> QuerySet[Program]:
    return Program.objects.filter(permissions.managed_programs_q(actor))


def _hr_id(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.external_id if profile is not None else ""
