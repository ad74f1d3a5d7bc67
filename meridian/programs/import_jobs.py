"""Confirming a staged import: small files at once, large ones in a job with progress."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from matching_engine import read_participants
from meridian.accounts.models import User
from meridian.programs.importing import ImportReport, participants_import
from meridian.programs.models import ImportStatus, StagedImport


def staged_preview(staged: StagedImport, *, actor: User) -> tuple[ImportReport, list[object]]:
    """The dry run the preview shows, and the people it is about."""
    parsed = read_participants(
        bytes(staged.data), filename=staged.filename, ignore_unknown=staged.ignore_unknown
    )
    if parsed.errors:
        return ImportReport(errors=parsed.errors, dry_run=True), list(parsed.people)
    report = participants_import(cohort=staged.cohort, people=parsed.people, actor=actor, dry_run=True)
    return report, list(parsed.people)


def staged_confirm(*, staged: StagedImport, actor: User, digest: str, rows: int) -> ImportReport | None:
    """Import what the preview promised (``digest``). Files over ``IMPORT_JOB_ROWS`` rows
    go to a job and None is returned: the preview page then follows its progress."""
    if rows > settings.IMPORT_JOB_ROWS:
        claimed = StagedImport.objects.filter(pk=staged.pk, status=ImportStatus.STAGED).update(
            status=ImportStatus.QUEUED,
            digest=digest,
            progress=5,
            stage="Waiting for a worker",
            uploaded_by=actor,
        )
        if claimed:
            from meridian.programs.tasks import import_staged

            transaction.on_commit(partial(import_staged.enqueue, staged.pk))
        return None
    parsed = read_participants(
        bytes(staged.data), filename=staged.filename, ignore_unknown=staged.ignore_unknown
    )
    report = participants_import(
        cohort=staged.cohort, people=parsed.people, actor=actor, expected_digest=digest
    )
    if report.written:
        _finish(staged, report)
    return report


def staged_import_run(staged_id: int) -> None:
    """The job: import a queued file once (a job delivered twice finds it claimed)."""
    claimed = StagedImport.objects.filter(pk=staged_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, progress=10, stage="Checking every row"
    )
    if not claimed:
        return
    staged = StagedImport.objects.select_related("cohort__program", "uploaded_by").get(pk=staged_id)
    _run(staged, actor=staged.uploaded_by, digest=staged.digest)


def _run(staged: StagedImport, *, actor: User, digest: str) -> None:
    parsed = read_participants(
        bytes(staged.data), filename=staged.filename, ignore_unknown=staged.ignore_unknown
    )
    report = (
        ImportReport(errors=parsed.errors)
        if parsed.errors
        else participants_import(
            cohort=staged.cohort, people=parsed.people, actor=actor, expected_digest=digest
        )
    )
    _finish(staged, report)


def _finish(staged: StagedImport, report: ImportReport) -> None:
    outcome = asdict(report)
    outcome["errors"] = [asdict(e) for e in report.errors]
    staged.status = ImportStatus.DONE if report.written else ImportStatus.FAILED
    staged.applied_at = timezone.now() if report.written else None
    staged.progress, staged.stage, staged.outcome = 100, "", outcome
    staged.save(update_fields=["status", "applied_at", "progress", "stage", "outcome", "updated_at"])
