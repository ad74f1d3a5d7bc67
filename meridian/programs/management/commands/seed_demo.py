"""``manage.py seed_demo [--people N] [--csv FILE]``: the demo organisation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching_engine import generate_people, write_participants_csv
from meridian.programs.demo import (
    DEMO_MENTOR_SHARE,
    DEMO_PASSWORD,
    DEMO_PROGRAMS,
    demo_logins,
    demo_seed,
)
from meridian.programs.models import Program

# Larger organisations are for benchmarks, which run their own matching.
MATCH_IN_SEED = 5_000


class Command(BaseCommand):
    help = "Load a realistic demo organisation (and/or write it as a participant file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="how many people (default 300)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same people)")
        parser.add_argument("--csv", type=Path, help="also write the people as a participant file")
        parser.add_argument("--csv-only", action="store_true", help="write the file, load nothing")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if programs exist")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 10 or options["people"] > 1_000_000:
            self.stderr.write("--people must be between 10 and 1,000,000")
            raise SystemExit(2)
        if not options["csv_only"] and not self._database_ready(options["if_empty"]):
            return
        started = time.perf_counter()
        people = generate_people(options["people"], seed=options["seed"], mentor_share=DEMO_MENTOR_SHARE)
        if options["csv"]:
            options["csv"].write_text(write_participants_csv(people), encoding="utf-8")
            self.stdout.write(f"Wrote {len(people):,} people to {options['csv']}")
        if options["csv_only"]:  # a file only: the database is not needed, nor touched
            return
        demo_seed(people=people)
        if options["people"] <= MATCH_IN_SEED:
            call_command("demo_matching", stdout=self.stdout)
            call_command("demo_meetings", stdout=self.stdout)
            call_command("demo_messages", stdout=self.stdout)
            call_command("demo_workspace", stdout=self.stdout)  # meridian.portal, by name
            call_command("demo_engagement", stdout=self.stdout)  # meridian.engagement, by name
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(people):,} people in {elapsed:.1f} s."))
        self._print_logins()

    def _database_ready(self, if_empty: bool) -> bool:
        """False (and say so) when the demo must not be loaded here."""
        if if_empty and Program.objects.exists():
            self.stdout.write("The database already has programs; demo data left as it is.")
            self._print_logins()
            return False
        if Program.objects.filter(slug__in=DEMO_PROGRAMS).exists():
            raise CommandError(
                "A demo organisation is already loaded. Use --if-empty, or start from an empty database."
            )
        return True

    def _print_logins(self) -> None:
        logins = demo_logins()
        if logins is None:
            self.stdout.write("No demo organisation is loaded here, so there are no demo logins.")
            return
        self.stdout.write(f"Sign in at http://127.0.0.1:8000 as any of these (password: {DEMO_PASSWORD}):")
        for role, email in (
            ("administrator", logins.administrator),
            ("program manager", logins.manager),
            ("mentor", logins.mentor),
            ("mentee", logins.mentee),
        ):
            self.stdout.write(f"  {role:<16} {email}")
