"""Messages at scale, against a trivial view in the same run.

    .venv/bin/python -m bench.messages [MESSAGES]     # default 5,000 in one thread

1. One pair's thread with MESSAGES messages: queries and median time of the page, its
   poll fragment and the API list (newest first), against ``/healthz``.
2. Notification emails for 1,000 messages in 100 threads within an hour (random authors
   and minutes, nobody reading): how many were sent in the hour and after it, against
   one per message unbatched; every due job is delivered twice, and the second sends none.

A fresh SQLite database in ``var/bench-messages.sqlite3`` each run (about half a minute).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MESSAGES = 5_000
REPEAT = 25
THREADS, BURST = 100, 1_000


def setup_django() -> None:
    path = ROOT / "var" / "bench-messages.sqlite3"
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _cohort(slug: str) -> object:
    from django.utils import timezone

    from meridian.programs.models import Cohort, Program

    today = timezone.localdate()
    program = Program.objects.create(
        name=f"Bench {slug}", slug=slug, starts_on=today, ends_on=today + dt.timedelta(days=180)
    )
    return Cohort.objects.create(
        program=program, name=slug, slug=slug, starts_on=today, ends_on=program.ends_on, status="running"
    )


def thread_pages(total: int) -> None:
    from django.test import Client

    from bench.page_table import time_pages
    from bench.pair_data import make_pairs
    from meridian.messaging.models import Message, Thread

    (pair,) = make_pairs(_cohort("thread"), 1, tag="t")  # type: ignore[arg-type]
    people = [m.user for m in pair.members.select_related("user")]
    thread = Thread.objects.create(mentorship=pair)
    Message.objects.bulk_create(
        (
            Message(thread=thread, author=people[n % 2], body=f"Message {n}\nwith a second line")
            for n in range(total)
        ),
        batch_size=1000,
    )
    client = Client()
    client.force_login(people[0])
    base = f"/mentorships/{pair.public_id}/messages/"
    tenth = Message.objects.filter(thread=thread).order_by("-id")[9].public_id
    targets = [
        ("trivial view /healthz (baseline)", "/healthz"),
        ("thread page (newest 30)", base),
        ("poll, 9 newer messages", f"{base}new/?after={tenth}"),
        ("API list, page 1 (50)", f"/api/v1/mentorships/{pair.public_id}/messages/"),
        ("API list, page 100", f"/api/v1/mentorships/{pair.public_id}/messages/?page=100"),
        ("navigation unread count", "/messages/unread/"),
    ]
    time_pages(client, targets, title=f"A thread of {total:,} messages", repeat=REPEAT)


def notification_burst() -> None:
    import time_machine
    from django.core import mail
    from django.utils import timezone

    from bench.pair_data import make_pairs
    from bench.timing import print_table
    from meridian.core.models import OutboundEmail
    from meridian.messaging import notifications, services
    from meridian.messaging.models import ThreadRead
    from meridian.messaging.selectors import get_thread_for_user

    pairs = make_pairs(_cohort("burst"), THREADS, tag="b")  # type: ignore[arg-type]
    rng = random.Random(15)
    start = timezone.now().replace(second=0, microsecond=0)
    plan = sorted((rng.uniform(0, 60), rng.randrange(THREADS), rng.randrange(2)) for _ in range(BURST))
    people = {p.pk: [m.user for m in p.members.select_related("user").order_by("role")] for p in pairs}
    mail.outbox = []
    outcomes: dict[str, int] = {}
    second_sends = 0

    def run_due(minute: float) -> None:
        nonlocal second_sends
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            for pk in ThreadRead.objects.filter(notify_after__lte=timezone.now()).values_list(
                "pk", flat=True
            ):
                first = notifications.deliver(pk)
                outcomes[first] = outcomes.get(first, 0) + 1
                second_sends += notifications.deliver(pk) == "sent"  # the job delivered again

    clock = 0
    for minute, index, who in plan:
        while clock <= minute:  # the worker runs what is due, minute by minute
            run_due(clock)
            clock += 1
        pair = pairs[index]
        author = people[pair.pk][who]
        with time_machine.travel(start + dt.timedelta(minutes=minute), tick=False):
            thread = get_thread_for_user(author, pair.public_id)
            services.message_send(thread=thread, author=author, body=f"Note at {minute:.1f}")
    in_hour = len(mail.outbox)
    for minute in range(clock, 60 * 3):
        run_due(minute)
    worst = _most_in_an_hour(OutboundEmail.objects.filter(key__startswith="messages:", status="sent"))
    rows = [
        ("messages sent", BURST),
        ("threads", THREADS),
        ("emails without batching (one per message)", BURST),
        ("emails sent within the hour", in_hour),
        ("emails sent in all (3 hours, the last batches flushed)", len(mail.outbox)),
        ("outbox rows sent", OutboundEmail.objects.filter(status="sent").count()),
        ("most emails to one person about one thread in any hour", worst),
        ("jobs delivered twice: emails from the second delivery", second_sends),
        ("job outcomes", ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))),
    ]
    print_table(
        f"Notifications for {BURST:,} messages in {THREADS} threads within an hour", ["", "count"], rows
    )
    assert second_sends == 0
    assert worst <= 1


def _most_in_an_hour(rows: object) -> int:
    """The most emails about one thread to one person inside any 60 minutes."""
    times: dict[str, list[dt.datetime]] = {}
    for key, sent_at in rows.values_list("key", "sent_at"):  # type: ignore[attr-defined]
        times.setdefault(key.split(":")[1], []).append(sent_at)
    hour = dt.timedelta(hours=1)
    return max(
        (
            sum(1 for other in stamps if first <= other < first + hour)
            for stamps in times.values()
            for first in stamps
        ),
        default=0,
    )


def main(total: int = DEFAULT_MESSAGES) -> None:
    setup_django()
    print(f"Loading a thread of {total:,} messages…", flush=True)
    thread_pages(total)
    notification_burst()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MESSAGES)
