"""Meeting reminders at scale, to a real SMTP server, and a worker killed halfway.

    .venv/bin/python -m bench.reminders [PEOPLE]     # default 10,000 (PEOPLE / 2 pairs)

PEOPLE / 2 pairs, each with a meeting 30 minutes from now: ``reminders.plan_meetings``
stores one 1-hour reminder per person (PEOPLE due reminders), then a worker process runs
``notices.deliver_due`` (claim, route, render, queue in the outbox, send over one SMTP
connection) to an aiosmtpd server started here.

1. Emails per second, end to end: from planning to the last email received by the server
   (the worker's start-up included).
2. The same again with the worker killed (SIGKILL) halfway through the first run's time,
   then run again 10 minutes later (as the periodic job would): how many reminders never
   arrived and how many arrived twice (the same Message-ID received again). A kill that
   lands between the server taking an email and the worker recording it can make one
   duplicate (SMTP has no two-phase commit); everywhere else it makes none.

A fresh SQLite database in ``var/bench-reminders.sqlite3`` each run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.timing import print_table

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-reminders.sqlite3"
DEFAULT_PEOPLE = 10_000
SEED = 16


def setup_django(*, fresh: bool) -> None:
    if fresh:
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


class Counting:
    """The SMTP server's side: every Message-ID received, in order."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes

        message_id = str(message_from_bytes(envelope.content)["Message-ID"])
        with self.lock:
            self.ids.append(message_id)
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.ids)


def make_meetings(people: int) -> None:
    from django.utils import timezone

    from bench.pair_data import make_pairs
    from meridian.programs.models import Cohort, Program
    from meridian.scheduling.models import Meeting

    today = timezone.localdate()
    program = Program.objects.create(
        name="Bench reminders",
        slug="reminders",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=150),
    )
    cohort = Cohort.objects.create(
        program=program,
        name="Reminders",
        slug="reminders",
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        status="running",
    )
    pairs = make_pairs(cohort, people // 2, tag="r")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=30)
    Meeting.objects.bulk_create(
        (
            Meeting(
                mentorship=p,
                status="scheduled",
                starts_at=start,
                minutes=45,
                video_url="https://meet.example/x",
            )
            for p in pairs
        ),
        batch_size=1000,
    )


def worker(port: int, minutes_later: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.Popen(
        [sys.executable, "-m", "bench.reminders", "--worker", str(port), str(minutes_later)],
        cwd=ROOT,
        env=env,
    )


def run_worker(port: int, minutes_later: int) -> None:
    """The worker process: deliver every due notice (as ``reminders.run`` does last)."""
    setup_django(fresh=False)
    from django.conf import settings
    from django.utils import timezone

    from meridian.engagement import notices

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    notices.deliver_due(now=timezone.now() + dt.timedelta(minutes=minutes_later))


def plan() -> int:
    from django.utils import timezone

    from meridian.engagement import reminders

    return reminders.plan_meetings(timezone.now())


def wait_for(server: Counting, total: int, process: subprocess.Popen[bytes]) -> None:
    process.wait()
    deadline = time.monotonic() + 30
    while server.count() < total and time.monotonic() < deadline:
        time.sleep(0.05)


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PEOPLE
    setup_django(fresh=True)
    from aiosmtpd.controller import Controller

    from conftest import free_port
    from meridian.core.models import OutboundEmail
    from meridian.engagement.models import Notice

    make_meetings(people)
    server, port = Counting(), free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        started = time.perf_counter()
        due = plan()
        wait_for(server, due, worker(port, 0))
        clean_seconds = time.perf_counter() - started
        clean = Counter(server.ids)

        Notice.objects.all().delete()
        OutboundEmail.objects.all().delete()
        server.ids.clear()
        due_again = plan()
        first = worker(port, 0)
        kill_after = clean_seconds * random.Random(SEED).uniform(0.4, 0.6)
        time.sleep(kill_after)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = server.count()
        wait_for(server, due_again, worker(port, 10))
        killed = Counter(server.ids)
    finally:
        controller.stop()
    print_table(
        f"Meeting reminders to a local SMTP server ({people:,} people, {people // 2:,} meetings in 30 min)",
        ["run", "due", "received", "seconds", "emails/s", "never arrived", "arrived twice"],
        [
            [
                "one worker",
                due,
                len(clean),
                f"{clean_seconds:.1f}",
                f"{len(clean) / clean_seconds:.0f}",
                due - len(clean),
                sum(n - 1 for n in clean.values()),
            ],
            [
                f"killed after {kill_after:.1f} s ({at_kill:,} received), run again",
                due_again,
                len(killed),
                "",
                "",
                due_again - len(killed),
                sum(n - 1 for n in killed.values()),
            ],
        ],
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        run_worker(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
