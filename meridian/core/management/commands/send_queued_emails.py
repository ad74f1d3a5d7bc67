"""Send the queued emails that are due: those whose job was lost, and every retry where
the task backend cannot wait (the immediate one). Run it every few minutes from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meridian.core.outbox import retry_due


class Command(BaseCommand):
    help = "Send the queued emails that are due (retries whose job was lost)."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = retry_due()
        self.stdout.write(
            f"sent {outcome['sent']}, waiting for the mail server {outcome['queued']}, "
            f"failed {outcome['failed']}"
        )
