"""The periodic jobs in the worker (``periodic.py``): ``manage.py scheduler`` enqueues
``periodic_tick`` every minute; the tick enqueues each due job as its own task, so a slow
job holds none of the others. Ticks that overlap, or a cron beside the worker, are
harmless: each job's run is claimed in the database before its body runs."""

from __future__ import annotations

from django_tasks import task

from meridian.engagement import periodic


@task()
def periodic_tick() -> str:
    """Enqueue the due jobs; returns their names (or that none was due)."""
    jobs = periodic.due()
    for job in jobs:
        run_periodic_job.enqueue(job.name)
    return ", ".join(job.name for job in jobs) or "nothing due"


@task()
def run_periodic_job(name: str) -> str:
    """Run the job ``name`` if it is still due and no one else runs it; its summary."""
    [job] = periodic.jobs_named([name])
    return str(periodic.run_job(job))
