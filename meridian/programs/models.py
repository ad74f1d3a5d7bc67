"""Programs, their cohorts, who is enrolled, invitations and staged imports."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meridian.core import permissions
from meridian.core.models import PublicModel


class ProgramKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One-to-one")
    GROUP = "group", _("Group")
    PEER = "peer", _("Peer")
    REVERSE = "reverse", _("Reverse")


class MatchingMode(models.TextChoices):
    MANAGER = "manager", _("Manager matches")
    SELF_SELECT = "self_select", _("Mentees choose from recommendations")
    BOTH = "both", _("Both: mentees choose, the manager matches the rest")


class ProgramQuerySet(models.QuerySet["Program"]):
    def visible_to(self, user: Any) -> ProgramQuerySet:
        return self.filter(permissions.visible_programs_q(user))

    def managed_by(self, user: Any) -> ProgramQuerySet:
        return self.filter(permissions.managed_programs_q(user))


class Program(PublicModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    kind = models.CharField(
        _("type"), max_length=20, choices=ProgramKind.choices, default=ProgramKind.ONE_TO_ONE
    )
    matching_mode = models.CharField(
        _("matching"), max_length=20, choices=MatchingMode.choices, default=MatchingMode.MANAGER
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    cadence_weeks = models.PositiveSmallIntegerField(
        _("meet every (weeks)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Contact every 2-4 weeks keeps virtual pairs going."),
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=45,
        validators=[MinValueValidator(15), MaxValueValidator(120)],
    )
    group_size = models.PositiveSmallIntegerField(
        _("mentees per group"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("For group programs: how many mentees share a mentor's group."),
    )
    separate_departments = models.BooleanField(_("never match within a department"), default=False)
    requests_per_mentee = models.PositiveSmallIntegerField(
        _("mentors a mentee may ask at once"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Self-select: how many open requests a mentee may have."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days a mentor has to answer"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_programs", verbose_name=_("managers")
    )

    objects = ProgramQuerySet.as_manager()

    # What a manager sets on a program: the form edits these, the API shows them.
    SETTINGS: ClassVar[tuple[str, ...]] = (
        "name",
        "slug",
        "description",
        "kind",
        "matching_mode",
        "starts_on",
        "ends_on",
        "cadence_weeks",
        "meeting_minutes",
        "group_size",
        "separate_departments",
        "requests_per_mentee",
        "answer_days",
    )

    class Meta:
        ordering = ("-starts_on", "name")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="program_dates_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def self_select(self) -> bool:
        return self.matching_mode in (MatchingMode.SELF_SELECT, MatchingMode.BOTH)


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class CohortQuerySet(models.QuerySet["Cohort"]):
    def visible_to(self, user: Any) -> CohortQuerySet:
        return self.filter(permissions.visible_cohorts_q(user))


class Cohort(PublicModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=CohortStatus.choices, default=CohortStatus.DRAFT
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ("starts_on", "name")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["program", "slug"], name="cohort_slug_per_program"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="cohort_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} · {self.name}"


class Role(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class EnrollmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrollmentSource(models.TextChoices):
    APPLICATION = "application", _("Application")
    INVITATION = "invitation", _("Invitation")
    IMPORT = "import", _("Import")


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def visible_to(self, user: Any) -> EnrollmentQuerySet:
        return self.filter(permissions.visible_enrollments_q(user))

    def members(self) -> EnrollmentQuerySet:
        return self.filter(status=EnrollmentStatus.APPROVED)


class Enrollment(PublicModel):
    """A person's place in a cohort, as mentor or mentee."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EnrollmentStatus.choices, default=EnrollmentStatus.APPLIED
    )
    source = models.CharField(
        max_length=12, choices=EnrollmentSource.choices, default=EnrollmentSource.APPLICATION
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentees I can take"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    motivation = models.TextField(_("why I am joining"), blank=True, max_length=2000)
    excluded = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("never match with"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_enrollment_per_cohort")
        ]
        indexes: ClassVar = [models.Index(fields=["cohort", "status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cohort}"

    def decide(self, *, approve: bool, by: Any) -> None:
        self.status = EnrollmentStatus.APPROVED if approve else EnrollmentStatus.DECLINED
        self.decided_at, self.decided_by = timezone.now(), by
        self.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])

    def withdraw(self, *, reason: str = "") -> None:
        self.status, self.withdrawn_reason = EnrollmentStatus.WITHDRAWN, reason[:500]
        self.save(update_fields=["status", "withdrawn_reason", "updated_at"])


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> Any:
    return timezone.now() + timedelta(days=30)


class Invitation(PublicModel):
    """An email invitation to join a cohort in a role; the token is the proof of address."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    capacity = models.PositiveSmallIntegerField(
        _("mentees they can take"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    expires_at = models.DateTimeField(default=_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "email"], name="one_invitation_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ImportStatus(models.TextChoices):
    STAGED = "staged", _("Waiting for confirmation")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class StagedImport(PublicModel):
    """An uploaded participant file waiting for the manager to confirm the preview; a
    large one is then imported by a job, whose progress and outcome are kept here."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    ignore_unknown = models.BooleanField(default=False)
    applied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.STAGED)
    digest = models.CharField(max_length=64, blank=True)  # the confirmed preview's plan
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, blank=True)
    outcome = models.JSONField(default=dict, blank=True)  # counts, or the errors that stopped it
