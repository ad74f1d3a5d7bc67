"""The periodic jobs (the health sweep, due reminders, digests): the table, when each is
due, and running each at most once at a time.

A job is a name, a schedule (every so many minutes, counted from midnight UTC, or daily at
an hour UTC) and the dotted path of a callable ``run(now) -> str`` (a short summary). It
runs once in each period of its schedule, claimed by a conditional UPDATE of its
``PeriodicRun`` row: due (not started yet in this period) and not running, or running for
longer than its stale limit (a worker killed mid-run). Two workers, or a cron beside a
worker, never run one job's body at once; a job that fails raises (the worker or cron
reports it) and is tried again in its next period (``run_periodic --only NAME --force``
sooner).

Two ways in: in the worker, ``manage.py scheduler`` enqueues ``tasks.periodic_tick`` every
minute and the tick enqueues each due job as its own task; from cron, ``manage.py
run_periodic`` runs what is due inline.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from meridian.engagement.models import PeriodicRun

log = logging.getLogger(__name__)
Runner = Callable[[dt.datetime], str]
Status = Literal["ran", "not_due", "running", "not_available"]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    target: str  # "package.module.function": run(now) -> summary
    every: dt.timedelta | None = None  # periods counted from midnight UTC
    daily_at_hour: int | None = None  # or once a day, from this hour UTC
    stale_after: dt.timedelta = dt.timedelta(hours=1)  # a claim older than this was a killed run

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at_hour is None):
            raise ValueError(f"{self.name}: give either every or daily_at_hour")

    def period_start(self, now: dt.datetime) -> dt.datetime:
        """The start of the period ``now`` falls in."""
        now = now.astimezone(dt.UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.every is not None:
            return midnight + ((now - midnight) // self.every) * self.every
        assert self.daily_at_hour is not None
        start = midnight.replace(hour=self.daily_at_hour)
        return start if start <= now else start - dt.timedelta(days=1)

    def is_due(self, last_started_at: dt.datetime | None, now: dt.datetime) -> bool:
        return last_started_at is None or last_started_at < self.period_start(now)


# Written by their own modules; until one exists the job is reported "not available".
JOBS: tuple[PeriodicJob, ...] = (
    # Bands and reasons change by the day; 03:00 UTC is night across Europe and Africa.
    PeriodicJob(
        "health", "meridian.engagement.sweep.run", daily_at_hour=3, stale_after=dt.timedelta(hours=2)
    ),
    # Meeting reminders 24 h and 1 h before: five minutes late at most, and a killed run
    # taken over after ten (its reminders carry unique keys: an overlap sends nothing twice).
    PeriodicJob(
        "reminders",
        "meridian.engagement.reminders.run",
        every=dt.timedelta(minutes=5),
        stale_after=dt.timedelta(minutes=10),
    ),
    # Daily digests leave in each person's morning: an hour's granularity across time zones.
    PeriodicJob("digests", "meridian.engagement.digests.run", every=dt.timedelta(hours=1)),
    # Finished jobs' results (a tick a minute) and used one-click links that can no longer be replayed.
    PeriodicJob("housekeeping", "meridian.engagement.housekeeping.run", daily_at_hour=4),
)


@dataclass(frozen=True)
class Outcome:
    name: str
    status: Status
    summary: str = ""

    def __str__(self) -> str:
        return f"{self.name}: {self.summary or self.status.replace('_', ' ')}"


def jobs_named(names: Sequence[str] | None = None) -> list[PeriodicJob]:
    """The jobs of the table, or those named (KeyError for a name not in it)."""
    if names is None:
        return list(JOBS)
    by_name = {job.name: job for job in JOBS}
    return [by_name[name] for name in names]


def resolve(job: PeriodicJob) -> Runner | None:
    """The job's callable, or None while its module or function does not exist (logged).
    An error raised while importing a module that exists is not hidden."""
    module_path, _, attribute = job.target.rpartition(".")
    try:
        module = import_module(module_path)
    except ModuleNotFoundError as error:
        if error.name is None or not (module_path + ".").startswith(error.name + "."):
            raise  # the module exists but imports something missing: a bug, not "not yet"
        log.warning("Periodic job %s not available: no module %s", job.name, error.name)
        return None
    runner = getattr(module, attribute, None)
    if not callable(runner):
        log.warning("Periodic job %s not available: no %s", job.name, job.target)
        return None
    return runner  # type: ignore[no-any-return]


def _ensure_rows(jobs: Sequence[PeriodicJob]) -> None:
    PeriodicRun.objects.bulk_create([PeriodicRun(name=job.name) for job in jobs], ignore_conflicts=True)


def _stale(job: PeriodicJob, now: dt.datetime) -> Q:
    return Q(running_since__lt=now - job.stale_after)


def claim(job: PeriodicJob, now: dt.datetime, *, force: bool = False) -> bool:
    """Take the job's run at ``now`` (one conditional UPDATE): due and not running, or
    running since before its stale limit; ``force`` skips the due test, never a live claim."""
    free = Q(running_since__isnull=True)
    if not force:
        free &= Q(last_started_at__isnull=True) | Q(last_started_at__lt=job.period_start(now))
    rows = PeriodicRun.objects.filter(Q(name=job.name) & (free | _stale(job, now)))
    return rows.update(running_since=now, last_started_at=now) == 1


def _release(job: PeriodicJob, claimed_at: dt.datetime, summary: str) -> None:
    """End our claim (unless a later run took it over as stale) and keep the summary."""
    PeriodicRun.objects.filter(name=job.name, running_since=claimed_at).update(
        running_since=None, last_finished_at=timezone.now(), last_summary=summary[:500]
    )


def run_job(job: PeriodicJob, *, now: dt.datetime | None = None, force: bool = False) -> Outcome:
    """Run the job's body if this call claims it; an error it raises is raised here."""
    now = now or timezone.now()
    runner = resolve(job)
    if runner is None:
        return Outcome(job.name, "not_available")
    _ensure_rows([job])
    if not claim(job, now, force=force):
        run = PeriodicRun.objects.get(name=job.name)
        if run.running_since is not None:
            return Outcome(job.name, "running", f"running since {run.running_since:%Y-%m-%d %H:%M} UTC")
        return Outcome(job.name, "not_due")
    try:
        summary = str(runner(now))
    except BaseException as error:
        _release(job, now, f"failed: {type(error).__name__}: {error}")
        raise
    _release(job, now, summary)
    return Outcome(job.name, "ran", summary)


def due(now: dt.datetime | None = None, jobs: Sequence[PeriodicJob] | None = None) -> list[PeriodicJob]:
    """The jobs that exist and a claim would take now (two queries), for the tick."""
    now = now or timezone.now()
    jobs = jobs_named() if jobs is None else list(jobs)
    _ensure_rows(jobs)
    runs = {run.name: run for run in PeriodicRun.objects.filter(name__in=[job.name for job in jobs])}
    chosen = []
    for job in jobs:
        run = runs[job.name]
        if resolve(job) is None:
            continue
        if run.running_since is None:
            if job.is_due(run.last_started_at, now):
                chosen.append(job)
        elif run.running_since < now - job.stale_after:
            chosen.append(job)
    return chosen
