"""Base models every app builds on."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """A model addressed in URLs by an unguessable UUID, never by its integer id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


def _new_key() -> str:
    return uuid.uuid4().hex


class OutboundEmail(models.Model):
    """One email, rendered when its cause happened and sent by a job after commit.

    The job claims the row with a conditional UPDATE (queued and due → sending), so a
    job delivered twice sends once; a mail server that does not answer puts the row back
    in the queue with a later ``next_attempt_at`` (see ``meridian.core.outbox``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200, unique=True, default=_new_key, editable=False)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    subject = models.TextField()
    body = models.TextField()
    content_subtype = models.CharField(max_length=20, default="plain")
    # [content, "text/html"], [content, "text/calendar; method=REQUEST"], ...
    alternatives = models.JSONField(default=list)
    # {"mime": base64 of a whole MIME part} or {"filename", "content" (base64), "mimetype"}
    attachments = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due")]
        verbose_name = "outbound email"

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
