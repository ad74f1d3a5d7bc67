"""``manage.py demo_messages``: a short conversation for the demo's printed pair (after
``demo_matching``): a few messages over the last days, the newest one from the mentee not
yet read by the mentor (so the navigation counts it). No email goes out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meridian.mentorships.models import Mentorship
from meridian.messaging.models import Message, Thread, ThreadRead
from meridian.programs.demo import demo_logins

# (role, days ago, hours ago, text)
CONVERSATION = (
    (
        "mentor",
        6,
        3,
        "Hi! Glad we were matched. Before our first call: what would make these months worth it for you?",
    ),
    (
        "mentee",
        6,
        1,
        "Thank you! Mostly getting better at leading a project without being the manager.\nAnd feedback.",
    ),
    ("mentor", 5, 20, "Good start. Bring one project you lead now, and we'll take it apart together."),
    ("mentee", 1, 2, "I will. Could we move Thursday by half an hour? The data review overruns."),
)


class Command(BaseCommand):
    help = "Give the demo pair a few messages (after demo_matching)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if logins is None:
            self.stdout.write("No demo organisation here: no messages to add.")
            return
        mentorship = (
            Mentorship.objects.filter(members__user__email=logins.mentor, members__is_current=True)
            .filter(members__user__email=logins.mentee)
            .distinct()
            .first()
        )
        if mentorship is None or Message.objects.filter(thread__mentorship=mentorship).exists():
            return
        people = {m.role: m.user for m in mentorship.members.filter(is_current=True).select_related("user")}
        now = timezone.now()
        with transaction.atomic():
            thread, _created = Thread.objects.get_or_create(mentorship=mentorship)
            sent = []
            for role, days, hours, text in CONVERSATION:
                message = Message.objects.create(thread=thread, author=people[role], body=text)
                when = now - dt.timedelta(days=days, hours=hours)
                Message.objects.filter(pk=message.pk).update(created_at=when, updated_at=when)
                sent.append(message)
            ThreadRead.objects.bulk_create(
                [
                    ThreadRead(thread=thread, user=people["mentee"], last_read=sent[-1], seen_at=now),
                    ThreadRead(thread=thread, user=people["mentor"], last_read=sent[-2], seen_at=now),
                ],
                ignore_conflicts=True,
            )
        self.stdout.write(f"Messages for {people['mentor'].name} and {people['mentee'].name}.")
