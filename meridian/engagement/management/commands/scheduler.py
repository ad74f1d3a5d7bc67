"""``manage.py scheduler``: enqueues the periodic tick (``periodic_tasks.periodic_tick``)
every minute for the worker to run, on whichever task backend is set (database or RQ).
``config.serve`` starts it beside the web server and the worker. It runs no job itself,
so it stays small; the claims in the database make a second scheduler, or a cron running
``run_periodic``, harmless. A tick that cannot be enqueued (the database or Redis away for
a moment) is logged and tried again a minute later."""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from meridian.engagement.periodic_tasks import periodic_tick

log = logging.getLogger(__name__)


class Stop(Exception):
    """SIGTERM: stop between ticks."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


class Command(BaseCommand):
    help = "Enqueue the periodic tick every minute for the task worker (started by config.serve)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks (60)")
        parser.add_argument("--once", action="store_true", help="enqueue one tick and stop")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        if not once:
            signal.signal(signal.SIGTERM, _raise_stop)
            self.stdout.write(f"scheduler: the periodic tick every {interval:g} s")
        try:
            while True:
                self.tick()
                if once:
                    return
                time.sleep(interval)
        except (KeyboardInterrupt, Stop):
            self.stdout.write("scheduler: stopped")

    def tick(self) -> None:
        try:
            result = periodic_tick.enqueue()
            log.debug("Periodic tick enqueued: %s", result.id)
        except Exception:
            log.exception("Could not enqueue the periodic tick; trying again next time")
        finally:
            if not connection.in_atomic_block:  # a long-lived process: no stale connection
                close_old_connections()
