"""The program team's pairs list at scale: queries and median time per request, against
a trivial view (``/healthz``) timed in the same run.

    .venv/bin/python -m bench.pairs_list [PAIRS]      # default 10,000 mentorships

The pairs (every third with held meetings, a next meeting and an open action item) are
loaded once into ``var/bench-pairs-<PAIRS>.sqlite3``, kept for the next run; requests go
through Django's test client in-process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAIRS = 10_000
REPEAT = 25
MANAGER = "pairs-manager@meridian.example"


def setup_django(pairs: int) -> bool:
    """Django on the benchmark database; True when it must still be loaded."""
    path = ROOT / "var" / f"bench-pairs-{pairs}.sqlite3"
    path.parent.mkdir(exist_ok=True)
    fresh = not path.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    return fresh


def load(pairs: int) -> None:
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from bench.pair_data import make_pairs
    from meridian.accounts.models import User
    from meridian.programs.models import Cohort, Program

    print(f"Loading {pairs:,} mentorships (once)…", flush=True)
    call_command("migrate", verbosity=0)
    manager = User.objects.create_user(email=MANAGER, password=None, name="Pat Manager")
    today = timezone.localdate()
    program = Program.objects.create(
        name="Grow Together", slug="grow-together", starts_on=today, ends_on=today + dt.timedelta(days=180)
    )
    program.managers.add(manager)
    cohort = Cohort.objects.create(
        program=program,
        name="Spring",
        slug="spring",
        starts_on=today,
        ends_on=program.ends_on,
        status="running",
    )
    make_pairs(cohort, pairs)


def measure() -> None:
    from django.test import Client

    from bench.page_table import time_pages
    from meridian.accounts.models import User
    from meridian.mentorships.models import Mentorship
    from meridian.programs.models import Cohort

    cohort = Cohort.objects.select_related("program").get(slug="spring")
    client = Client()
    client.force_login(User.objects.get(email=MANAGER))
    size = Mentorship.objects.filter(cohort=cohort).count()
    program_url = f"/programs/{cohort.program.public_id}/pairs/"
    cohort_url = f"/cohorts/{cohort.public_id}/pairs/"
    targets = [
        ("trivial view /healthz (baseline)", "/healthz"),
        ("program's pairs, page 1", program_url),
        ("program's pairs, page 200", program_url + "?page=200"),
        ("cohort's pairs, page 1", cohort_url),
        ("cohort's pairs, search 'kumar'", cohort_url + "?q=kumar"),
        ("cohort's pairs, active, page 50", cohort_url + "?status=active&page=50"),
    ]
    time_pages(client, targets, title=f"Pairs list at {size:,} mentorships in one cohort", repeat=REPEAT)


def main(pairs: int = DEFAULT_PAIRS) -> None:
    if setup_django(pairs):
        load(pairs)
    measure()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PAIRS)
