"""The relationship every later feature hangs on: a mentoring pair, or a group with its
mentor(s) and mentees, in one cohort of one program."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meridian.core import permissions
from meridian.core.models import PublicModel
from meridian.programs.models import Cohort, Enrollment, Program, Role


class MentorshipKind(models.TextChoices):
    PAIR = "pair", _("Pair")
    GROUP = "group", _("Group")


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")


class MentorshipSource(models.TextChoices):
    MATCHING = "matching", _("Matched by the program manager")
    SELF_SELECT = "self_select", _("Chosen by the mentee")


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def visible_to(self, user: Any) -> MentorshipQuerySet:
        return self.filter(permissions.visible_mentorships_q(user))

    def current(self) -> MentorshipQuerySet:
        return self.filter(status__in=(MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED))


class Mentorship(PublicModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentorships")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="mentorships")
    kind = models.CharField(max_length=8, choices=MentorshipKind.choices, default=MentorshipKind.PAIR)
    status = models.CharField(
        _("status"), max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    source = models.CharField(
        max_length=12, choices=MentorshipSource.choices, default=MentorshipSource.MATCHING
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # the match score when it was made, 0..1
    why = models.TextField(_("why you were matched"), blank=True, max_length=2000)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ("-started_on", "-created_at")
        indexes: ClassVar = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.cohort}"


class Member(models.Model):
    """One person in a mentorship. ``is_current`` mirrors the mentorship's state so the
    database itself refuses a mentee in two current mentorships of a cohort."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    is_current = models.BooleanField(default=True)
    introduced_at = models.DateTimeField(null=True, blank=True)  # when the introduction went out
    # This person's standing answer to "may our meetings be recorded?"; it pre-fills each
    # meeting's consent, which is still asked per meeting.
    records_by_default = models.BooleanField(_("may be recorded by default"), default=False)

    class Meta:
        ordering = ("role", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mentorship", "enrollment"], name="one_membership_per_person"),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(role="mentee", is_current=True),
                name="mentee_in_one_current_mentorship",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["user", "is_current"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"
