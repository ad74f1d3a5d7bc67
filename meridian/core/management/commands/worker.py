"""``manage.py worker [--batch]``: the task worker of the backend in ``TASKS``: ``db_worker``
for the database queue, ``rqworker`` (with django-tasks-rq's job class, and RQ's scheduler
for jobs that wait) for Redis. ``config.serve`` runs it beside the web server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DATABASE = "django_tasks_db.DatabaseBackend"
RQ = "django_tasks_rq.RQBackend"


class Command(BaseCommand):
    help = "Run the task worker of the configured backend (database: db_worker; Redis: rqworker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="run the jobs waiting now, then stop")

    def handle(self, *args: Any, batch: bool, verbosity: int, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend == DATABASE:
            call_command("db_worker", batch=batch, startup_delay=not batch, verbosity=verbosity)
        elif backend == RQ:
            queues = settings.TASKS["default"].get("QUEUES", ["default"])
            call_command(
                "rqworker",
                *queues,
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=batch,
                verbosity=verbosity,
            )
        else:
            raise CommandError(f"{backend} has no worker: it runs each job when it is enqueued")
