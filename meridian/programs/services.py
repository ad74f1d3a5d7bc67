"""Workflows across programs, cohorts, enrolments and invitations (writes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from meridian.accounts.models import Profile, User
from meridian.core.errors import MeridianError
from meridian.programs import emails
from meridian.programs.models import (
    Cohort,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    Invitation,
    Program,
    Role,
)


@transaction.atomic
def program_create(*, actor: User, **fields: Any) -> Program:
    """Create a program; its creator becomes its first manager."""
    program = Program.objects.create(**fields)
    program.managers.add(actor)
    return program


@transaction.atomic
def enrollment_apply(
    *, user: User, cohort: Cohort, role: str, capacity: int = 1, motivation: str = ""
) -> Enrollment:
    """Apply to a cohort; a withdrawn or declined person may apply again."""
    if cohort.status != "open":
        raise MeridianError("This cohort does not take applications now.")
    enrollment = Enrollment.objects.select_for_update().filter(cohort=cohort, user=user).first()
    if enrollment and enrollment.status in (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED):
        raise MeridianError("You have already applied to this cohort.")
    enrollment = enrollment or Enrollment(cohort=cohort, user=user)
    enrollment.role, enrollment.motivation = role, motivation
    enrollment.capacity = capacity if role == Role.MENTOR else 1
    enrollment.status, enrollment.source = EnrollmentStatus.APPLIED, EnrollmentSource.APPLICATION
    enrollment.decided_at = enrollment.decided_by = None
    enrollment.save()
    Profile.objects.get_or_create(user=user)
    return enrollment


@transaction.atomic
def enrollment_decide(*, enrollment: Enrollment, approve: bool, actor: User) -> Enrollment:
    """Approve or decline an application and tell the applicant."""
    if enrollment.status not in (EnrollmentStatus.APPLIED, EnrollmentStatus.INVITED):
        raise MeridianError("Only pending applications can be approved or declined.")
    enrollment.decide(approve=approve, by=actor)
    emails.application_decided(enrollment)  # stored now, sent after commit
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, reason: str = "") -> Enrollment:
    if enrollment.status not in (
        EnrollmentStatus.INVITED,
        EnrollmentStatus.APPLIED,
        EnrollmentStatus.APPROVED,
    ):
        raise MeridianError("This enrolment has already ended.")
    enrollment.withdraw(reason=reason)
    return enrollment


@dataclass
class InvitationResult:
    sent: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    role: str
    capacity: int = 1


@transaction.atomic
def invitations_send(
    *, cohort: Cohort, emails: Iterable[str], role: str, actor: User, message: str = ""
) -> InvitationResult:
    """Invite people by email to a cohort in a role; inviting again renews and resends."""
    result = InvitationResult()
    wanted = sorted({email.strip().lower() for email in emails if email.strip()})
    members = set(
        Enrollment.objects.filter(cohort=cohort, user__email__in=wanted)
        .filter(status__in=[EnrollmentStatus.APPROVED, EnrollmentStatus.APPLIED])
        .values_list("user__email", flat=True)
    )
    result.already_members = [email for email in wanted if email in members]
    result.sent = [email for email in wanted if email not in members]
    invitations_renew(
        cohort=cohort,
        requests=[InvitationRequest(email, role) for email in result.sent],
        actor=actor,
        message=message,
    )
    return result


@transaction.atomic
def invitations_renew(
    *, cohort: Cohort, requests: Iterable[InvitationRequest], actor: User | None, message: str = ""
) -> list[Invitation]:
    """Create or renew (a fresh 30 days, unused again) one invitation per request and
    send each after commit; the person accepts or not."""
    invitations = []
    for request in requests:
        invitation, _created = Invitation.objects.update_or_create(
            cohort=cohort,
            email=request.email,
            defaults={
                "role": request.role,
                "capacity": request.capacity if request.role == Role.MENTOR else 1,
                "invited_by": actor,
                "message": message,
                "accepted_at": None,
                "expires_at": timezone.now() + timedelta(days=30),
            },
        )
        emails.invitation(invitation)  # stored now, sent after commit (the outbox)
        invitations.append(invitation)
    return invitations


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Enrollment:
    """The invited person joins: the manager chose them, so the enrolment is approved."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise MeridianError("This invitation has expired or was already used.")
    if user.email.lower() != invitation.email.lower():
        raise MeridianError(f"This invitation is for {invitation.email}; sign in with that address.")
    enrollment, _created = Enrollment.objects.update_or_create(
        cohort=invitation.cohort,
        user=user,
        defaults={
            "role": invitation.role,
            "capacity": invitation.capacity,
            "status": EnrollmentStatus.APPROVED,
            "source": EnrollmentSource.INVITATION,
            "decided_at": timezone.now(),
            "decided_by": invitation.invited_by,
        },
    )
    Profile.objects.get_or_create(user=user)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return enrollment
