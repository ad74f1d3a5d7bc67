"""Enrolment table page and API list at scale: queries and median time per request,
against a trivial view (``/healthz``) timed in the same run.

    .venv/bin/python -m bench [PEOPLE]      # default 60,000 people = 50,000 in one program

The demo generator loads the people once into ``var/bench-<PEOPLE>.sqlite3``
(kept for the next run); requests go through Django's test client in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PEOPLE = 60_000  # seed_demo puts 5/6 of them in "Grow Together": 50,000 enrolments
REPEAT = 25


def _database(people: int) -> Path:
    path = ROOT / "var" / f"bench-{people}.sqlite3"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
        }
        print(f"Loading {people:,} people into {path.name} (once)…", flush=True)
        for args in (["migrate", "-v0"], ["seed_demo", "--people", str(people)]):
            subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
    return path


def setup_django(people: int) -> None:
    """Django on the benchmark database of ``people`` people (loaded once)."""
    path = _database(people)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def main(people: int = DEFAULT_PEOPLE) -> None:
    setup_django(people)
    from bench.page_timings import measure

    measure()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PEOPLE)
