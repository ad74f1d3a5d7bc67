"""Emails have one shape: ``emails/<name>-subject.txt``, ``-body.txt`` and ``-body.html``.

They are rendered at once and sent through the outbox (``meridian.core.outbox``): by a
job after the caller's transaction commits, tried again while the mail server is down."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from meridian.core import outbox
from meridian.core.models import OutboundEmail


def send_templated(
    name: str,
    *,
    to: Sequence[str],
    context: Mapping[str, Any],
    alternatives: Sequence[tuple[str, str]] = (),
    attachments: Sequence[MIMEBase] = (),
    key: str | None = None,
) -> OutboundEmail:
    """Render the template triplet ``name`` and send it as text with an HTML alternative.

    ``alternatives`` are more (content, MIME type) versions of the body, such as a calendar
    invitation (the type may carry parameters: ``text/calendar; method=REQUEST``);
    ``attachments`` are ready-made MIME parts. The email is stored now (in the caller's
    transaction) and sent after commit; ``key`` makes it idempotent (see ``outbox.queue``)."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    for part in attachments:
        message.attach(part)
    return outbox.queue(message, key=key)
