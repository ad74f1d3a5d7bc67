"""Send the message notifications that are due (for a task backend that cannot wait, or
jobs that were lost): run it every few minutes from cron or a timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meridian.messaging.notifications import deliver_due


class Command(BaseCommand):
    help = "Email members about unread messages whose notification is due."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = deliver_due()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())) or "nothing due")
