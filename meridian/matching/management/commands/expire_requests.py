"""Mark self-select requests whose deadline passed unanswered as expired (run it from
cron; pages also mark them when they are read)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meridian.matching.selfselect import requests_expire


class Command(BaseCommand):
    help = "Mark mentor requests whose deadline passed unanswered as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = requests_expire()
        self.stdout.write(f"{count} request(s) expired.")
