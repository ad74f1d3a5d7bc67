"""``manage.py import_participants FILE --program SLUG --cohort SLUG [--dry-run]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching_engine import MAX_FILE_BYTES, read_participants
from meridian.programs.importing import participants_import
from meridian.programs.models import Cohort


class Command(BaseCommand):
    help = "Enrol the people of a participant file (CSV or XLSX) in a cohort: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--program", required=True, help="the program's short name (slug)")
        parser.add_argument("--cohort", required=True, help="the cohort's short name (slug)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--ignore-unknown", action="store_true", help="skip columns we do not know")

    def handle(self, *args: Any, **options: Any) -> None:
        cohort = Cohort.objects.filter(program__slug=options["program"], slug=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort {options['cohort']!r} in a program {options['program']!r}.")
        data = self._read(options["file"])
        parsed = read_participants(
            data, filename=options["file"].name, ignore_unknown=options["ignore_unknown"]
        )
        errors = parsed.errors
        report = None
        if parsed.ok:
            report = participants_import(cohort=cohort, people=parsed.people, dry_run=options["dry_run"])
            errors = report.errors
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} problem(s) in {options['file']}; nothing was imported.")
        assert report is not None
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(parsed.people):,} people into {cohort}: {report.mentors:,} mentors, "
                f"{report.mentees:,} mentees; {report.new_people:,} new, {report.updated_people:,} updated."
            )
        )

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                size = path.stat().st_size / 1024 / 1024
                raise CommandError(
                    f"{path} is {size:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB."
                )
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
