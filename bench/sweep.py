"""The health sweep over many relationships with a year of history, against a loop that
builds each relationship's history with its own queries, in the same run.

    .venv/bin/python -m bench.sweep [--count N] [--db sqlite|postgres] [--sample S]

COUNT relationships (default 100,000), started over the last year, with their activity
written in bulk: meetings about every two weeks (held, some cancelled or missed, each with
its booking), a message each way around most meetings, check-ins, a goal, the pulse, a
few pauses and managers' calls; one pair in seven fades (stops meeting at some point) and
one in twenty never starts. Then:

1. ``sweep(today)`` (without the ladder and the queue): seconds, queries, the bands;
2. the per-relationship loop (history, assessment and Health row one relationship at a
   time) on SAMPLE relationships (default 2,000), extrapolated to COUNT, and the ratio.

The planner's statistics are gathered (ANALYZE) after the rows are written, as a live
database has them, so that neither side pays for a plan made blind.

SQLite: a fresh ``var/bench-sweep.sqlite3``; PostgreSQL: a throw-away server started for
the run (as ``conftest.py``'s ``pg_server``: PG_BIN, as the postgres user when root).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
BLOCK = 5_000  # relationships written at a time
BATCH = 2_000


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server; yields its DATABASE_URL."""
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="pgbench-"))
    if run_as:
        shutil.chown(base, "postgres", "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    data = base / "data"
    subprocess.run(
        [*run_as, PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        [*run_as, PG_BIN / "pg_ctl", "-D", data, "-l", base / "log", "-w", "-o", opts, "start"],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            [*run_as, PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "bench"],
            check=True,
            capture_output=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run([*run_as, PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Rows:
    """Rows piled up per model as plain values (ids given here) and inserted with one
    ``executemany`` per model and block: fast enough for millions of rows. A column not
    given takes its field's default (a fresh ``public_id`` each row)."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        self.ids: dict[Any, int] = {}
        self.total = 0

    def add(self, model: Any, **values: Any) -> int:
        pk = self.ids.get(model, 0) + 1
        self.ids[model] = pk
        self.rows.setdefault(model, []).append({"id": pk, **values})
        return pk

    def flush(self) -> None:
        for model, rows in self.rows.items():
            insert(model, rows)
            self.total += len(rows)
        self.rows = {}


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    from django.db import connection
    from django.utils import timezone

    if not rows:
        return
    now = timezone.now()
    given = set().union(*rows)
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.null]
    fixed: dict[str, Any] = {}
    for f in fields:
        if f.attname in given or f.attname == "public_id":
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed[f.attname] = now
        elif (default := f.get_default()) is not None:  # a default, or "" for text
            fixed[f.attname] = default
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
    prepared = {
        name: f.get_db_prep_save(fixed[name], connection) for f in fields if (name := f.attname) in fixed
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    convert = [
        (
            f.attname,
            f.get_db_prep_save
            if f.get_internal_type() in ("DateTimeField", "UUIDField", "JSONField")
            else None,
        )
        for f in fields
    ]
    values = []
    for row in rows:
        line: list[Any] = []
        for name, prep in convert:
            if name == "public_id" and name not in row:
                line.append(prepared_uuid())
            elif name in row:
                line.append(prep(row[name], connection) if prep else row[name])
            else:
                line.append(prepared.get(name))  # None: a nullable column some rows leave out
        values.append(line)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: many times faster than INSERTs there
            names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
            return
        for first in range(0, len(values), BATCH):
            cursor.executemany(sql, values[first : first + BATCH])


def prepared_uuid() -> str:
    return uuid.uuid4().hex


def build(count: int, seed: int = 2026) -> int:
    """``count`` relationships with a year of activity; returns the rows written."""
    from django.db import transaction
    from django.utils import timezone

    from meridian.accounts.models import User
    from meridian.mentorships.models import Member, Mentorship
    from meridian.programs.models import Cohort, Enrollment, Program

    rng = random.Random(seed)
    today = timezone.localdate()
    program = Program.objects.create(
        name="Bench sweep",
        slug="bench-sweep",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today + dt.timedelta(days=200),
    )
    cohort = Cohort.objects.create(
        program=program, name="Year", slug="year", starts_on=program.starts_on, ends_on=program.ends_on,
        status="running",
    )  # fmt: skip
    out = Rows()
    for first in range(0, count, BLOCK):
        with transaction.atomic():
            for i in range(first, min(count, first + BLOCK)):
                started_on = today - dt.timedelta(days=rng.randint(0, 365))
                pair = out.add(Mentorship, program_id=program.pk, cohort_id=cohort.pk, started_on=started_on)
                people = []
                for role in ("mentor", "mentee"):
                    user = out.add(
                        User, email=f"{role}{i}@sweep.example", name=f"{role.title()} {i}", password="!"
                    )
                    enrollment = out.add(
                        Enrollment, cohort_id=cohort.pk, user_id=user, role=role, status="approved"
                    )
                    out.add(Member, mentorship_id=pair, enrollment_id=enrollment, user_id=user, role=role)
                    people.append(user)
                _activity(out, rng, pair, started_on, people[0], people[1], today)
            out.flush()
    return out.total


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _activity(
    out: Rows, rng: random.Random, pair: int, start: dt.date, mentor: int, mentee: int, today: dt.date
) -> None:
    from meridian.engagement.models import ContactLog, Pause, Pulse
    from meridian.mentorships.models import CheckIn, Goal
    from meridian.messaging.models import Message, Thread
    from meridian.scheduling.models import Meeting, MeetingEvent

    age = (today - start).days
    fate = rng.random()
    stops = age if fate > 0.2 else (0 if fate < 0.05 else rng.randint(0, age))  # 5 % never start, 15 % fade
    thread = out.add(Thread, mentorship_id=pair)
    people = (mentor, mentee)
    day = 4 + rng.randint(0, 10)
    while day < stops:
        when = _moment(start + dt.timedelta(days=day), 9 + rng.randint(0, 8))
        roll = rng.random()
        status = "held" if roll < 0.88 else ("cancelled" if roll < 0.96 else "missed")
        meeting = out.add(
            Meeting, mentorship_id=pair, status=status, starts_at=when, minutes=45, proposed_by_id=mentor,
            created_at=when - dt.timedelta(days=7),
        )  # fmt: skip
        booked = when - dt.timedelta(days=5)
        out.add(MeetingEvent, meeting_id=meeting, kind="accepted", actor_id=mentee, at=booked, new_start=when)
        if status == "cancelled":
            who = people[rng.randint(0, 1)]
            out.add(
                MeetingEvent,
                meeting_id=meeting,
                kind="cancelled",
                actor_id=who,
                at=when - dt.timedelta(days=1),
            )
        if rng.random() < 0.7:
            for n, author in enumerate((mentee, mentor)):
                at = when + dt.timedelta(days=1, hours=3 * n)
                out.add(Message, thread_id=thread, author_id=author, body="…", created_at=at)
        if rng.random() < 0.2:
            out.add(CheckIn, mentorship_id=pair, author_id=mentee, mood=rng.randint(2, 5), created_at=when)
        day += 14 + rng.randint(-4, 6)
    if stops > 10 and rng.random() < 0.8:
        out.add(Goal, mentorship_id=pair, title="A goal", created_by_id=mentee, created_at=_moment(start, 12))
    for number, due in ((1, 14), (2, 30), (3, 90), (4, 150), (5, 210), (6, 270), (7, 330)):
        if due <= min(age, stops + 20):
            answered = _moment(start + dt.timedelta(days=due + 1), 12)
            rating = rng.choice((2, 3, 4, 4, 5, 5)) if rng.random() < 0.7 else None
            out.add(
                Pulse, mentorship_id=pair, user_id=mentee, role="mentee", number=number,
                due_on=start + dt.timedelta(days=due), answered_at=answered if rating else None,
                rating=rating, wants_continue="yes" if rating else "",
            )  # fmt: skip
    if age > 60 and rng.random() < 0.03:
        first = start + dt.timedelta(days=rng.randint(20, age - 20))
        out.add(
            Pause, mentorship_id=pair, starts_on=first, ends_on=first + dt.timedelta(days=rng.randint(7, 40))
        )
    if age > 30 and rng.random() < 0.02:
        at = _moment(today - dt.timedelta(days=rng.randint(1, 30)), 11)
        out.add(ContactLog, mentorship_id=pair, channel="call", outcome="reached", at=at)


def loop(ids: list[int], today: dt.date) -> None:
    """The naive way: each relationship's history by its own queries, assessed and saved."""
    from meridian.engagement import history
    from meridian.engagement.health import assess, last_activity
    from meridian.engagement.models import Health
    from meridian.engagement.sweep import end_of

    for pk in ids:
        past = history.histories([pk], until=end_of(today))[pk]
        found = assess(past, today)
        Health.objects.update_or_create(
            mentorship_id=pk,
            defaults={
                "score": found.score, "band": found.band, "band_since": today, "reasons": list(found.reasons),
                "signals": list(found.signals), "last_activity_at": last_activity(past), "assessed_on": today,
            },
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    if args.db == "postgres":
        with postgres() as url:
            run(url, args.count, args.sample, "PostgreSQL")
    else:
        path = ROOT / "var" / "bench-sweep.sqlite3"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        run(f"sqlite:///{path}", args.count, args.sample, "SQLite")


def run(url: str, count: int, sample: int, name: str) -> None:
    setup_django(url)
    from django.db import connection
    from django.utils import timezone

    from bench.timing import print_table
    from meridian.engagement.models import Band
    from meridian.engagement.sweep import counting, sweep
    from meridian.mentorships.models import Mentorship

    started = time.perf_counter()
    rows = build(count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as a live database has them
    print(
        f"{name}: {count:,} relationships, {rows:,} rows of history in {time.perf_counter() - started:.0f} s"
    )
    today = timezone.localdate()
    started = time.perf_counter()
    report = sweep(today, escalate=False)
    took = time.perf_counter() - started
    table = [["the sweep", f"{report.count:,}", f"{took:.1f}", f"{report.queries:,}"]]
    bands = ", ".join(f"{b}: {report.bands[b]:,}" for b in Band.values)
    ids = list(Mentorship.objects.order_by("?").values_list("id", flat=True)[:sample])
    with counting() as seen:
        started = time.perf_counter()
        loop(ids, today + dt.timedelta(days=1))
        looped = time.perf_counter() - started
    scale = count / len(ids)
    table.append([f"per-relationship loop ({len(ids):,})", f"{len(ids):,}", f"{looped:.1f}", f"{seen[0]:,}"])
    table.append(
        [f"  the loop for {count:,}", f"{count:,}", f"{looped * scale:.0f}", f"{round(seen[0] * scale):,}"]
    )
    print_table(f"Health sweep on {name} ({bands})", ["run", "relationships", "seconds", "queries"], table)
    print(
        f"  the sweep: {1000 * took / count:.2f} ms a relationship; {looped * scale / took:.0f}x faster than"
        f" the loop, with {seen[0] * scale / max(1, report.queries):,.0f}x fewer queries"
    )


if __name__ == "__main__":
    main()
