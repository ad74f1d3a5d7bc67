"""``manage.py run_periodic [--only NAME] [--force]``: the periodic jobs that are due, run
here and now (for cron, e.g. every 5 minutes; beside a worker's scheduler it is harmless)."""

from __future__ import annotations

import traceback
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meridian.engagement import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (the health sweep, reminders, digests) and print summaries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=[job.name for job in periodic.JOBS],
            help="run only this job (may be given more than once)",
        )
        parser.add_argument(
            "--force", action="store_true", help="run even if not due (never beside a run going on)"
        )

    def handle(self, *args: Any, only: list[str] | None, force: bool, **options: Any) -> None:
        failed = []
        for job in periodic.jobs_named(only):
            try:
                outcome = periodic.run_job(job, force=force)
            except Exception:  # reported below and by the exit status; the others still run
                failed.append(job.name)
                self.stderr.write(f"{job.name}: failed\n{traceback.format_exc()}")
                continue
            self.stdout.write(str(outcome))
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
