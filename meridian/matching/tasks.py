"""Background jobs of matching: large runs solve in a worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from meridian.matching.models import MatchRun, RunStatus


@task()
def run_matching(run_id: int) -> None:
    """Solve a queued run; a run already solved (a job delivered twice) is left alone."""
    run = MatchRun.objects.filter(pk=run_id, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).first()
    if run is None:
        return
    from meridian.matching.services.runs import run_execute

    run_execute(run=run)


@task()
def introduce(run_id: int, mentorship_ids: list[int]) -> int:
    """Email the introductions of a published run (each member once)."""
    from meridian.matching.introductions import send_introductions

    return send_introductions(run_id, mentorship_ids)
