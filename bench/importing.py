"""Participant import at scale: a file of N new people, then the same file again
(every person now exists, so each row takes the update path), on a fresh SQLite file.

    .venv/bin/python -m bench.importing [PEOPLE]     # default 20,000

A third run changes every person. The figure is each re-import's time as a ratio of
the first import's, measured in the same run: the update path should cost the same order of time as creating.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEOPLE = 20_000


def _setup(people: int) -> None:
    path = ROOT / "var" / f"bench-import-{people}.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ.update(DATABASE_URL=f"sqlite:///{path}", DJANGO_SETTINGS_MODULE="config.settings_test")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PEOPLE
    _setup(people)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.timing import print_table
    from matching_engine.demo import generate_people
    from matching_engine.participants import read_participants, write_participants_csv
    from meridian.programs.importing import participants_import
    from tests.factories import CohortFactory, UserFactory

    rows = read_participants(write_participants_csv(generate_people(people)).encode()).people
    cohort = CohortFactory()
    manager = UserFactory()
    cohort.program.managers.add(manager)
    changed = [replace(p, name=f"{p.name} Jr", title=f"{p.title} II", time_zone="UTC") for p in rows]
    table: list[list[str]] = []
    runs = (
        ("new people", rows),
        ("the same file again (updates)", rows),
        ("every person changed (updates)", changed),
    )
    for label, file_rows in runs:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report = participants_import(cohort=cohort, people=file_rows, actor=manager)
            seconds = time.perf_counter() - started
        assert report.written, report.errors[:3]
        table.append([label, f"{len(rows):,}", f"{seconds:.1f}", str(len(queries))])
    for n, label in ((1, "same file"), (2, "all changed")):
        ratio = float(table[n][2]) / max(float(table[0][2]), 0.01)
        table.append([f"update / create ({label})", "", f"{ratio:.2f}x", ""])
    print_table(
        f"Participant import, {people:,} people (SQLite)", ["run", "rows", "seconds", "queries"], table
    )


if __name__ == "__main__":
    main()
