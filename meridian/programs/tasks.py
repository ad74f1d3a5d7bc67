"""Background jobs of programs: large participant imports run in a worker."""

from __future__ import annotations

from django_tasks import task


@task()
def import_staged(staged_id: int) -> None:
    """Import a confirmed, queued participant file (idempotent)."""
    from meridian.programs.import_jobs import staged_import_run

    staged_import_run(staged_id)
