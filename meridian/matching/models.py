"""Matching runs and what they propose, pairs the manager or a person ruled out, and
self-select requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meridian.core.models import PublicModel
from meridian.programs.models import Cohort, Enrollment


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready for review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


class MatchRun(PublicModel):
    """One run of the engine over a cohort, kept with the settings it ran with.

    ``settings`` holds ``weights`` (criterion -> weight), ``constraints``, ``mode`` and
    ``objective`` as plain JSON; ``report`` the engine's quality report.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="match_runs")
    number = models.PositiveIntegerField()  # 1, 2, ... within the cohort
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    settings = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    mentees = models.PositiveIntegerField(default=0)
    mentors = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    total = models.FloatField(default=0)
    optimum = models.FloatField(null=True, blank=True)  # the engine's total before manual edits
    upper_bound = models.FloatField(null=True, blank=True)
    report = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-number",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "number"], name="one_run_number_per_cohort")
        ]

    def __str__(self) -> str:
        return f"Run {self.number} of {self.cohort}"

    @property
    def is_editable(self) -> bool:
        """May the run be edited and published: the one rule, asked by the services and pages."""
        return self.status == RunStatus.DONE

    @property
    def mode(self) -> str:
        return str(self.settings.get("mode", "optimal"))

    @property
    def kind_label(self) -> str:
        """What the run aimed at, in the manager's words (its mode, then its objective)."""
        if self.mode == "stable":
            return str(_("Stable matching"))
        if self.settings.get("objective") == "coverage":
            return str(_("Most mentees matched, then the best total"))
        return str(_("Best total score"))


class Proposal(models.Model):
    """A proposed pair in a run: the engine's, or the manager's edit of it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    components = models.JSONField(default=dict)  # criterion -> 0..1
    evidence = models.JSONField(default=dict)  # criterion -> words
    summary = models.TextField(blank=True)
    locked = models.BooleanField(default=False)
    edited = models.BooleanField(default=False)  # placed by the manager, not the engine

    class Meta:
        ordering = ("-score", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "mentee"], name="one_proposal_per_mentee")
        ]
        indexes: ClassVar = [models.Index(fields=["run", "mentor"])]

    def __str__(self) -> str:
        return f"{self.mentee_id} with {self.mentor_id} ({self.score:.2f})"


class Exclusion(PublicModel):
    """A pair that is never to be proposed in a cohort, with who said so and why."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exclusions")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cohort", "mentee", "mentor"], name="one_exclusion_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} never with {self.mentor_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the mentor")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed: matched elsewhere")


def _deadline() -> Any:
    return timezone.now() + timedelta(days=7)


class MentorRequestQuerySet(models.QuerySet["MentorRequest"]):
    def pending(self) -> MentorRequestQuerySet:
        return self.filter(status=RequestStatus.PENDING, deadline__gt=timezone.now())


class MentorRequest(PublicModel):
    """Self-select: a mentee asks a mentor; the mentor answers before the deadline."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="mentor_requests")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="requests_made")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(_("a note to the mentor"), blank=True, max_length=1000)
    score = models.FloatField(default=0)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    deadline = models.DateTimeField(default=_deadline)
    decided_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("a note back"), blank=True, max_length=1000)

    objects = MentorRequestQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="pending"),
                name="one_pending_request_per_pair",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} asks {self.mentor_id} ({self.status})"
