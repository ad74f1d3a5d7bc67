"""The relationship every later feature hangs on: a mentoring pair, or a group with its
mentor(s) and mentees, in one cohort of one program."""

from __future__ import annotations

import uuid
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


# ---------------------------------------------------------------- the development plan (goals)


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(PublicModel):
    """A goal of the pair's development plan. Its title and status are activity the
    program's managers see; its description, milestones and progress comments are the pair's."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("created_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_at_most_100")
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("milestone"), max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """One step of a goal's progress history: who moved it, to what, and why."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    comment = models.CharField(_("comment"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.progress}%"


class SampleGoal(models.Model):
    """A goal the program suggests to its pairs; its managers keep the list."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sample_goals")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- shared links and files


class SharedKind(models.TextChoices):
    LINK = "link", _("Link")
    FILE = "file", _("File")


def shared_file_path(instance: Any, filename: str) -> str:
    """An unguessable storage name that keeps nothing of the uploaded name."""
    return f"shared/{uuid.uuid4().hex}/{uuid.uuid4().hex}"


class SharedItem(PublicModel):
    """A link or a file one member shared with the pair, with a note. Files are stored
    through the default storage and served only by an access-checked view."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="shared_items")
    kind = models.CharField(max_length=4, choices=SharedKind.choices)
    url = models.URLField(_("link"), max_length=2000, blank=True)
    file = models.FileField(upload_to=shared_file_path, max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True)  # as uploaded, shown only
    content_type = models.CharField(max_length=100, blank=True)  # found from the content
    size = models.PositiveBigIntegerField(default=0)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    added_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=["mentorship", "created_at"])]

    def __str__(self) -> str:
        return self.filename or self.url


# ---------------------------------------------------------------- rules of engagement (D1)


class Cadence(models.IntegerChoices):
    WEEKLY = 1, _("Every week")
    FORTNIGHTLY = 2, _("Every 2 weeks")
    MONTHLY = 4, _("Every 4 weeks")


class ReplyWithin(models.IntegerChoices):
    DAY = 24, _("Within a day")
    TWO_DAYS = 48, _("Within 2 days")
    THREE_DAYS = 72, _("Within 3 days")
    WEEK = 168, _("Within a week")


class AgreementTerms(models.Model):
    """How a pair agrees to work; a program's template and each version of an agreement."""

    # Weekly windows (``Mon 09:00-12:00; Wed 14:00-17:30``) read in ``times_zone``.
    meeting_times = models.CharField(_("preferred meeting times"), max_length=500, blank=True)
    times_zone = models.CharField(_("zone of the meeting times"), max_length=64, default="UTC")
    mentor_replies_within = models.PositiveSmallIntegerField(
        _("the mentor replies"), choices=ReplyWithin.choices, default=ReplyWithin.TWO_DAYS
    )
    mentee_replies_within = models.PositiveSmallIntegerField(
        _("the mentee replies"), choices=ReplyWithin.choices, default=ReplyWithin.TWO_DAYS
    )
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=45)
    every_weeks = models.PositiveSmallIntegerField(
        _("meet"), choices=Cadence.choices, default=Cadence.FORTNIGHTLY
    )
    channels = models.CharField(_("channels"), max_length=200, blank=True)
    fallback = models.CharField(_("fallback"), max_length=200, blank=True)
    confidentiality = models.TextField(_("confidentiality"), max_length=2000, blank=True)
    may_record = models.BooleanField(_("sessions may be recorded"), default=False)

    class Meta:
        abstract = True


class AgreementTemplate(AgreementTerms):
    """The program's defaults for every new agreement, set by its managers."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="agreement_template")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Agreement template of {self.program}"


class AgreementVersion(AgreementTerms):
    """One proposal of the terms. The proposer accepts it by proposing; it is agreed
    (``agreed_at``) once every current member has accepted it. A later version replaces
    it and needs everyone again; the versions are kept."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="agreement_versions")
    number = models.PositiveIntegerField()
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="agreement_proposals"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-number",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mentorship", "number"], name="one_agreement_version_number")
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of {self.mentorship_id}"


class AgreementAcceptance(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="agreement_acceptances")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("accepted_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "user"], name="one_acceptance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version_id}"


# ---------------------------------------------------------------- quick check-ins (D6)


class Mood(models.IntegerChoices):
    STRUGGLING = 1, _("Struggling")
    LOW = 2, _("Not great")
    OKAY = 3, _("Okay")
    GOOD = 4, _("Good")
    GREAT = 5, _("Great")


class CheckIn(PublicModel):
    """A one-click "how are things" between sessions; it counts as contact. The line is
    the pair's alone: managers see counts and dates."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="checkins")
    mood = models.PositiveSmallIntegerField(_("how are things?"), choices=Mood.choices)
    line = models.CharField(_("one line (optional)"), max_length=280, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=["mentorship", "created_at"])]

    def __str__(self) -> str:
        return f"Check-in {self.public_id}"


# ---------------------------------------------------------------- an unresponsive partner


class UnresponsiveReport(PublicModel):
    """A member tells the program's managers that their partner does not answer: what they
    tried and since when. Addressed to the managers, who read it; never messages."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="unresponsive_reports")
    reporter = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="unresponsive_reports"
    )
    reporter_role = models.CharField(max_length=10, choices=Role.choices)
    since = models.DateField(_("no answer since"))
    tried = models.TextField(_("what you tried"), max_length=1000)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=["mentorship", "created_at"])]

    def __str__(self) -> str:
        return f"Unresponsive report {self.public_id}"


# ---------------------------------------------------------------- closing and re-matching (D7, B7)


class CloseReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("We reached our goals")
    PROGRAM_ENDED = "program_ended", _("The program ended")
    SCHEDULES = "schedules", _("Schedules or time")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    UNRESPONSIVE = "unresponsive", _("Partner unresponsive")
    LEFT = "left", _("Left the organisation")
    NO_CONTACT = "no_contact", _("Lost touch")  # also: closed by the program after its unanswered notice
    OTHER = "other", _("Other")


class Recommend(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Closure(PublicModel):
    """How a mentorship ended: completed or ended early, when, by whom (their role) and in
    which category; the program's managers see these. ``members`` are the people current
    when it closed: they alone reflect. A mentee's request to be matched again waits
    here until a manager confirms a new mentor (``rematched_as``)."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="closure")
    closed_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    closed_by_role = models.CharField(max_length=10, choices=Role.choices)
    reason = models.CharField(_("why it ends"), max_length=16, choices=CloseReason.choices)
    members = models.ManyToManyField("accounts.User", related_name="closures")
    rematch_requested_at = models.DateTimeField(null=True, blank=True)
    rematched_as = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Closure of {self.mentorship_id}"


class Reflection(models.Model):
    """One member's reflection on a closed mentorship: the pair's alone, never the managers'."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    achieved = models.TextField(_("what was achieved"), max_length=2000, blank=True)
    next_steps = models.TextField(_("what next"), max_length=2000, blank=True)
    recommend = models.CharField(_("would you recommend it?"), max_length=5, choices=Recommend.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["closure", "author"], name="one_reflection_per_person")
        ]

    def __str__(self) -> str:
        return f"Reflection of {self.author_id}"
