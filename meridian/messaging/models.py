"""A relationship's conversation: one thread per mentorship (a pair or a whole group),
its messages, and each member's place in it (what they read, when they last looked, when
they were last emailed about it). Bodies are readable by the current members alone."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from meridian.core.models import PublicModel, TimeStampedModel
from meridian.mentorships.models import Mentorship

MAX_BODY = 5000


class Thread(TimeStampedModel):
    """Made the first time a member opens or writes to the conversation."""

    mentorship = models.OneToOneField(Mentorship, on_delete=models.CASCADE, related_name="thread")

    def __str__(self) -> str:
        return f"Thread of mentorship {self.mentorship_id}"


class Message(PublicModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # Kept when the author's account goes: the partner's conversation stays whole.
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="messages_written"
    )
    body = models.TextField(_("message"), max_length=MAX_BODY)

    class Meta:
        ordering = ("id",)
        indexes: ClassVar = [models.Index(fields=["thread", "id"], name="messaging_thread_order")]

    def __str__(self) -> str:
        return f"Message {self.public_id}"


class ThreadRead(models.Model):
    """One member's place in a thread.

    ``last_read`` is the newest message they have seen; ``seen_at`` when the page (or its
    poll) last showed them the thread, so no email goes out while they are reading;
    ``notified_at`` the last email about this thread; ``notify_after`` when a pending
    notification job is due (one at a time: the batching)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="thread_reads")
    last_read = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_per_member")
        ]
        indexes: ClassVar = [models.Index(fields=["notify_after"], name="messaging_notify_due")]

    def __str__(self) -> str:
        return f"{self.user_id} in thread {self.thread_id}"
