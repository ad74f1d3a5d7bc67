"""Meetings of a mentorship: proposals, the times on offer, recurring series, what happened
to each meeting (the event log health monitoring reads), recording consent, the meeting's
workspace (agenda, notes, recap, action items), the program's conversation guide and the
private calendar feed."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meridian.core.models import PublicModel, TimeStampedModel
from meridian.mentorships.models import Goal, Mentorship
from meridian.programs.models import Program

MAX_NOTE = 20_000
MAX_AGENDA = 5_000


class Channel(models.TextChoices):
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")
    MESSAGES = "messages", _("Messages")
    EMAIL = "email", _("Email")


class VideoSource(models.TextChoices):
    JITSI = "jitsi", _("A new video room (no account needed)")
    PERSONAL = "personal", _("The organiser's own meeting link")


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    DECLINED = "declined", _("Declined")


LIVE_STATES = (MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.MISSED)


def _room() -> str:
    return secrets.token_urlsafe(16)


class Series(PublicModel):
    """A recurring cadence: every ``every_weeks`` weeks at the same local time in ``zone``
    (the organiser's), ``count`` times. Its occurrences are Meeting rows that share its UID
    and carry their original start as ``recurrence_id``; moving or cancelling one changes
    that row alone."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="series")
    every_weeks = models.PositiveSmallIntegerField()
    count = models.PositiveSmallIntegerField()
    zone = models.CharField(max_length=64)
    first_start = models.DateTimeField()
    sequence = models.PositiveIntegerField(default=0)  # the master event's iCalendar SEQUENCE
    ended_at = models.DateTimeField(null=True, blank=True)  # the series was stopped

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return f"Every {self.every_weeks} week(s) x{self.count}"

    @property
    def uid(self) -> str:
        return f"series-{self.public_id}@meridian"


class Meeting(PublicModel):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)  # an occurrence's original start
    title = models.CharField(_("title"), max_length=200, default="Mentoring session")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED)
    starts_at = models.DateTimeField(null=True, blank=True)  # set once a time is agreed
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    repeat_weeks = models.PositiveSmallIntegerField(default=0)  # proposed cadence; 0: once
    repeat_count = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VIDEO)
    video_source = models.CharField(max_length=10, choices=VideoSource.choices, default=VideoSource.JITSI)
    video_url = models.URLField(max_length=500, blank=True)
    room = models.CharField(max_length=40, default=_room, editable=False)
    fallback = models.CharField(
        _("if the video fails"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE of this event
    agenda = models.TextField(_("agenda"), blank=True, max_length=MAX_AGENDA)
    shared_notes = models.TextField(_("shared notes"), blank=True, max_length=MAX_NOTE)
    recap = models.TextField(_("recap"), blank=True, max_length=MAX_NOTE)

    class Meta:
        ordering = ("starts_at", "created_at")
        indexes: ClassVar = [
            models.Index(fields=["mentorship", "status", "starts_at"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def uid(self) -> str:
        return self.series.uid if self.series_id else f"meeting-{self.public_id}@meridian"  # type: ignore[union-attr]


class ProposedTime(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ("starts_at",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "starts_at"], name="one_option_per_time")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RESCHEDULED = "rescheduled", _("Rescheduled")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Marked held")
    MISSED = "missed", _("Marked missed")


class MeetingEvent(models.Model):
    """What happened to a meeting, when, by whom and why: read by health monitoring."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)
    old_start = models.DateTimeField(null=True, blank=True)
    new_start = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")
        indexes: ClassVar = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class RecordingConsent(models.Model):
    """One participant's consent to record one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    consents = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_consent_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.consents}"


class PrivateNote(TimeStampedModel):
    """Notes only their author ever reads: not the partner, not the program's managers."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, max_length=MAX_NOTE)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_private_note_per_author")
        ]

    def __str__(self) -> str:
        return f"Private note {self.pk}"


class ActionItem(PublicModel):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    text = models.CharField(_("action"), max_length=500)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("done_at", "due_on", "created_at")
        indexes: ClassVar = [models.Index(fields=["mentorship", "done_at"])]

    def __str__(self) -> str:
        return self.text


class GuideTopic(TimeStampedModel):
    """The program's conversation guide: what meeting number N is about, suggested as the
    agenda of a pair's Nth meeting when they have not written one."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="guide")
    number = models.PositiveSmallIntegerField(_("meeting number"))
    title = models.CharField(_("topic"), max_length=200)
    agenda = models.TextField(_("suggested agenda"), max_length=MAX_AGENDA)

    class Meta:
        ordering = ("program", "number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["program", "number"], name="one_topic_per_meeting_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(TimeStampedModel):
    """A private, revocable address a calendar app subscribes to. Revoking sets
    ``revoked_at``; a new feed gets a new token, and the old address answers 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feeds")
    token = models.CharField(max_length=64, unique=True, default=_feed_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
