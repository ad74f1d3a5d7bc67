"""Messaging's emails, one function each: rendered from ``emails/<name>-*`` in the reader's
language and zone, stored in the caller's transaction and sent by a job after commit
(``meridian.core.outbox``)."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meridian.core.emails import send_templated
from meridian.core.links import absolute_url
from meridian.messaging.models import Message, ThreadRead


def new_messages(read: ThreadRead, unread: list[Message], *, language: str) -> None:
    """Tell a member of the thread what they have not read yet (once per batch: the key)."""
    user, mentorship = read.user, read.thread.mentorship
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(user.time_zone)):
        context = {
            "person": user,
            "count": len(unread),
            # an author whose account is gone still wrote: never " wrote to you" with no name
            "authors": sorted(
                {m.author.name if m.author is not None else _("A former member") for m in unread}
            ),
            "latest": unread[-1],
            "zone": user.time_zone,
            "url": absolute_url("messaging:thread", mentorship.public_id),
        }
        key = f"messages:{read.pk}:{unread[-1].pk}"
        send_templated("new_messages", to=[user.email], context=context, key=key)
