"""``manage.py sweep_health [--date YYYY-MM-DD]``: assess every current relationship (for
cron; the worker runs the same sweep on its schedule) and print how many are in each band."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meridian.engagement.models import Band
from meridian.engagement.sweep import sweep


class Command(BaseCommand):
    help = "Assess the health of every current relationship and print the bands."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to assess as (YYYY-MM-DD); today in UTC by default")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.now().astimezone(dt.UTC).date()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"Give the date as YYYY-MM-DD, not {options['date']!r}.") from error
        report = sweep(today)
        self.stdout.write(f"{today.isoformat()}: {report.summary()}")
        for band in Band:
            self.stdout.write(f"  {band.value}: {report.bands[band.value]}")
