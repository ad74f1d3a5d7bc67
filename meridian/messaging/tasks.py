"""Background jobs of messaging: one notification about unread messages."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_unread(read_id: int) -> str:
    """Email a member about unread messages in a thread if still due (idempotent)."""
    from meridian.messaging.notifications import deliver

    return deliver(read_id)
