"""Background jobs of the core: sending one stored email (``meridian.core.outbox``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_email(key: str) -> str:
    """Send the outbox row ``key``; a row already sent (a job delivered twice) is left alone,
    and a mail server that does not answer re-enqueues this job for later."""
    from meridian.core.outbox import deliver

    return deliver(key)
