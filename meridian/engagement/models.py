"""Engagement: how each relationship is doing (its health, measured by the pure
``health.py``), what the program does about it (the escalation ladder, the manager's
check-in queue), the pulse survey, reminders and the notices that carry them by email.

Activity metadata only: nothing here stores or reads the content of messages or notes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meridian.core.models import PublicModel, TimeStampedModel
from meridian.mentorships.models import Mentorship
from meridian.programs.models import Program, Role
from meridian.scheduling.models import Meeting

# ---------------------------------------------------------------- health


class Band(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early to tell")
    ON_TRACK = "on_track", _("On track")
    CHECK_IN = "check_in", _("Needs a check-in")
    AT_RISK = "at_risk", _("At risk")


class Health(models.Model):
    """A relationship's latest assessment and its standing between sweeps (the band, since
    when, and the good sweeps in a row that let it leave "at risk")."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="health")
    score = models.PositiveSmallIntegerField(default=100)
    band = models.CharField(max_length=10, choices=Band.choices, default=Band.TOO_EARLY)
    band_since = models.DateField()
    good_sweeps = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list)  # sentences, worst first
    signals = models.JSONField(default=list)  # the same, as codes
    last_activity_at = models.DateTimeField(null=True, blank=True)  # two-sided contact
    assessed_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["band", "score"])]

    def __str__(self) -> str:
        return f"{self.band} ({self.score})"


class HealthChange(models.Model):
    """A band change, for the pair's history ("at risk on 3 May, on track again on 24 May")."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="health_changes")
    on = models.DateField()
    old_band = models.CharField(max_length=10, choices=Band.choices)
    new_band = models.CharField(max_length=10, choices=Band.choices)
    score = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=500, blank=True)  # the top reason, when worse

    class Meta:
        ordering = ("on", "id")

    def __str__(self) -> str:
        return f"{self.old_band} → {self.new_band} on {self.on}"


class Pause(PublicModel):
    """A pause the pair declared (holiday, leave): its days stop the health clocks."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="pauses")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("why (optional)"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("starts_on", "id")

    def __str__(self) -> str:
        return f"paused {self.starts_on}..{self.ends_on}"


# ---------------------------------------------------------------- the pulse


class Met(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Continue(models.TextChoices):
    YES = "yes", _("Yes")
    UNSURE = "unsure", _("Not sure")
    NO = "no", _("I don't want to continue")


class Pulse(PublicModel):
    """One person's pulse at one point of their relationship (day 14, day 30, then every
    60 days): three questions, each answerable in one click from the email."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="pulses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulses")
    role = models.CharField(max_length=10, choices=Role.choices)
    number = models.PositiveSmallIntegerField()  # 1: day 14, 2: day 30, 3...: every 60 days after
    due_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("how is it going?"), null=True, blank=True)  # 1-5
    met = models.CharField(_("did you meet as agreed?"), max_length=6, choices=Met.choices, blank=True)
    wants_continue = models.CharField(
        _("do you want to continue?"), max_length=6, choices=Continue.choices, blank=True
    )

    class Meta:
        ordering = ("due_on", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mentorship", "user", "number"], name="one_pulse_per_point")
        ]

    def __str__(self) -> str:
        return f"pulse {self.number} due {self.due_on}"


# ---------------------------------------------------------------- the escalation ladder


class LadderSettings(models.Model):
    """A program's escalation ladder: each step on or off and its timing. A program without
    a row uses the defaults (``settings_for``)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="ladder")
    first_reminder_hours = models.PositiveSmallIntegerField(
        _("first meeting reminder, hours before (0: none)"), default=24
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        _("second meeting reminder, hours before (0: none)"), default=1
    )
    nudges = models.BooleanField(_("nudge pairs that need a check-in"), default=True)
    alerts = models.BooleanField(_("alert managers"), default=True)
    rematch_suggestions = models.BooleanField(_("suggest re-matching"), default=True)
    closures = models.BooleanField(_("propose closing a pair without contact"), default=True)
    last_nudge_days = models.PositiveSmallIntegerField(_("days until the last nudge"), default=7)
    alert_after_days = models.PositiveSmallIntegerField(
        _("alert managers after a pair needed a check-in for (days)"), default=7
    )
    rematch_unresponsive_days = models.PositiveSmallIntegerField(
        _("suggest re-matching after a partner is unresponsive for (days)"), default=21
    )
    closure_after_days = models.PositiveSmallIntegerField(
        _("propose closing after no contact for (days)"), default=90
    )
    closure_notice_days = models.PositiveSmallIntegerField(_("notice before closing (days)"), default=7)
    pulse = models.BooleanField(_("send the pulse survey"), default=True)
    cohort_reminders = models.BooleanField(_("remind people at the key points of a cohort"), default=True)
    monthly_email_cap = models.PositiveSmallIntegerField(
        _("most non-meeting emails per person a month"), default=4
    )
    standing_contacts = models.BooleanField(_("schedule standing check-ins with every pair"), default=True)

    def __str__(self) -> str:
        return f"ladder of {self.program}"


class Step(models.TextChoices):
    NUDGE = "nudge", _("Nudge to the pair")
    LAST_NUDGE = "last_nudge", _("Last nudge to the pair")
    ALERT = "alert", _("Alert to the managers")
    REMATCH = "rematch", _("Re-matching suggested")
    CLOSURE = "closure", _("Closure proposed")
    CLOSED = "closed", _("Closed after notice")


class Escalation(models.Model):
    """One step of the ladder taken for one relationship in one episode (an episode starts
    when a pair leaves "on track" and ends when it is back): each step at most once."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="escalations")
    episode = models.PositiveIntegerField()
    step = models.CharField(max_length=10, choices=Step.choices)
    at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(null=True, blank=True)  # a proposed closure: closes then unless answered
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # answered: no longer stands

    class Meta:
        ordering = ("at", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["mentorship", "episode", "step"], name="one_step_per_episode")
        ]

    def __str__(self) -> str:
        return f"{self.step} (episode {self.episode})"


# ---------------------------------------------------------------- notices (reminders, nudges, alerts)


class NoticeMode(models.TextChoices):
    SINGLE = "single", _("One email each")
    DIGEST = "digest", _("One daily digest")


class EmailPreference(models.Model):
    """How a person takes non-meeting reminders: single emails or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    mode = models.CharField(
        _("reminders by email"), max_length=6, choices=NoticeMode.choices, default=NoticeMode.SINGLE
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.mode


class NoticeStatus(models.TextChoices):
    DUE = "due", _("Due")  # waits for its moment (or the next delivery run)
    DIGEST = "digest", _("In the next digest")
    SENT = "sent", _("Sent")
    CAPPED = "capped", _("Not sent: the month's limit was reached")
    DROPPED = "dropped", _("Not sent: no longer relevant")


class Notice(models.Model):
    """One reminder, nudge, pulse or alert to one person, sent once: ``key`` names its
    kind, person and moment, so a job that runs twice finds it there already."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30)
    mentorship = models.ForeignKey(
        Mentorship, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    counts_toward_cap = models.BooleanField(default=True)  # meeting reminders do not
    due_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=7, choices=NoticeStatus.choices, default=NoticeStatus.DUE)
    template = models.CharField(max_length=60)  # emails/<template>-subject.txt, -body.txt, -body.html
    context = models.JSONField(default=dict)  # plain values the template needs
    line = models.CharField(max_length=300, blank=True)  # its one line in a digest
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["status", "due_at"], name="engagement_notice_due"),
            models.Index(fields=["user", "sent_at"], name="engagement_notice_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} ({self.status})"


class UsedLink(models.Model):
    """A one-click link already followed: links are single use (``links.py``)."""

    nonce = models.CharField(max_length=40, unique=True)
    action = models.CharField(max_length=40)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} used {self.used_at:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------- the manager's check-in queue


class QueueKind(models.TextChoices):
    HEALTH = "health", _("Needs a check-in")
    AT_RISK = "at_risk", _("At risk")
    REMATCH = "rematch", _("Re-matching suggested")
    CLOSURE = "closure", _("Closure proposed")
    STANDING = "standing", _("Regular check-in")


class QueueItem(PublicModel):
    """A pair a program manager should contact, why, and by when; snoozed or resolved."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="queue_items")
    kind = models.CharField(max_length=10, choices=QueueKind.choices)
    reason = models.CharField(max_length=500)
    urgency = models.PositiveSmallIntegerField(default=0)  # higher first
    # The pair's top signal and score as last seen (kept while open, frozen when resolved):
    # a manager's resolution stands until the pair gets worse than this.
    signal = models.CharField(max_length=30, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    due_on = models.DateField()
    snoozed_until = models.DateField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-urgency", "due_on", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["mentorship", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_item_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason}"


class ContactChannel(models.TextChoices):
    CALL = "call", _("Call")
    MESSAGE = "message", _("Message")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Talked: all is well")
    HELPED = "helped", _("Talked: agreed next steps")
    LEFT_WORD = "left_word", _("Left a message")
    NO_ANSWER = "no_answer", _("No answer")


class ContactLog(PublicModel):
    """A program manager's call or message to a pair and what came of it."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="manager_contacts")
    item = models.ForeignKey(
        QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("how"), max_length=8, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ContactOutcome.choices)
    note = models.TextField(_("note (managers only)"), max_length=1000, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.channel}: {self.outcome}"


# ---------------------------------------------------------------- observing a session (E5)


class ObservationStatus(models.TextChoices):
    ASKED = "asked", _("Waiting for both to answer")
    AGREED = "agreed", _("Both agreed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ObservationRequest(PublicModel):
    """A manager's request to observe one session: it happens only if both sides consent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="observation_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    why = models.CharField(_("why you would like to observe"), max_length=500)
    status = models.CharField(
        max_length=10, choices=ObservationStatus.choices, default=ObservationStatus.ASKED
    )

    def __str__(self) -> str:
        return f"observe {self.meeting_id}: {self.status}"


class ObservationConsent(TimeStampedModel):
    """One member's answer to an observation request."""

    request = models.ForeignKey(ObservationRequest, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consents = models.BooleanField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["request", "user"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"{'yes' if self.consents else 'no'}"


# ---------------------------------------------------------------- periodic jobs


class PeriodicRun(models.Model):
    """One periodic job's (``periodic.py``) last run, and the claim of the run going on now:
    a conditional UPDATE sets ``running_since``, so two workers, or a cron beside a worker,
    never run the job at once; a claim older than the job's stale limit (a killed worker)
    is taken over."""

    name = models.CharField(max_length=50, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_summary = models.CharField(max_length=500, blank=True)
    running_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
