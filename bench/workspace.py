"""A mentorship's page with a long history, against a trivial view in the same run.

    .venv/bin/python -m bench.workspace [MESSAGES]     # default 5,000 messages

One pair with MESSAGES messages and, for each hundred of them, 2 goals, 4 check-ins,
2 shared links and 6 action items (half done): the pair's workspace (the mentee) and
the program team's overview (its manager), queries and median time, against
``/healthz``; then the same pages for a pair with one of each, so the query counts can
be compared (they are the same: nothing is read row by row).

A fresh SQLite database in ``var/bench-workspace.sqlite3`` each run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MESSAGES = 5_000
REPEAT = 25


def setup_django() -> None:
    path = ROOT / "var" / "bench-workspace.sqlite3"
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def history(pair: Any, messages: int) -> None:
    """``messages`` messages and, per hundred, goals, check-ins, links and action items."""
    from django.utils import timezone

    from meridian.mentorships.models import CheckIn, Goal, SharedItem
    from meridian.messaging.models import Message, Thread
    from meridian.scheduling.models import ActionItem

    people = [m.user for m in pair.members.select_related("user").order_by("role")]
    thread = Thread.objects.create(mentorship=pair)
    Message.objects.bulk_create(
        (Message(thread=thread, author=people[n % 2], body=f"Message {n}") for n in range(messages)),
        batch_size=1000,
    )
    hundreds = max(1, messages // 100)
    now = timezone.now()
    Goal.objects.bulk_create(
        Goal(mentorship=pair, title=f"Goal {n}", progress=n % 100) for n in range(2 * hundreds)
    )
    CheckIn.objects.bulk_create(
        CheckIn(mentorship=pair, author=people[n % 2], mood=1 + n % 5, line=f"Line {n}")
        for n in range(4 * hundreds)
    )
    SharedItem.objects.bulk_create(
        SharedItem(mentorship=pair, kind="link", url=f"https://example.org/{n}", added_by=people[0])
        for n in range(2 * hundreds)
    )
    ActionItem.objects.bulk_create(
        ActionItem(mentorship=pair, text=f"Action {n}", owner=people[n % 2], done_at=now if n % 2 else None)
        for n in range(6 * hundreds)
    )


def main(messages: int = DEFAULT_MESSAGES) -> None:
    setup_django()
    from django.test import Client

    from bench.messages import _cohort
    from bench.page_table import time_pages
    from bench.pair_data import make_pairs
    from tests.factories import UserFactory

    print(f"Loading a pair with {messages:,} messages…", flush=True)
    cohort: Any = _cohort("workspace")
    busy, quiet = make_pairs(cohort, 2, tag="w")
    history(busy, messages)
    history(quiet, 1)
    manager = UserFactory(name="Bench Manager")
    cohort.program.managers.add(manager)
    for who, label in (("mentee", "the pair's workspace"), ("manager", "the team's overview")):
        client = Client()
        client.force_login(manager if who == "manager" else busy.members.get(role="mentee").user)
        if who == "mentee":
            quiet_client = Client()
            quiet_client.force_login(quiet.members.get(role="mentee").user)
        targets = [
            ("trivial view /healthz (baseline)", "/healthz"),
            (f"{label}, {messages:,} messages and the rest", f"/mentorships/{busy.public_id}/"),
        ]
        time_pages(client, targets, title=f"A mentorship's page: {label}", repeat=REPEAT)
        other = quiet_client if who == "mentee" else client
        time_pages(
            other,
            [
                ("trivial view /healthz (baseline)", "/healthz"),
                (f"{label}, one of each", f"/mentorships/{quiet.public_id}/"),
            ],
            title=f"A mentorship's page: {label}, a quiet pair",
            repeat=REPEAT,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MESSAGES)
