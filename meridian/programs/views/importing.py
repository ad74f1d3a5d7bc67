"""Import participants from a file (upload, preview, confirm) and export them back."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from matching_engine import (
    COLUMNS,
    RowError,
    read_participants,
    write_participants_csv,
    write_participants_xlsx,
)
from meridian.accounts.http import AuthedRequest
from meridian.programs import selectors, services
from meridian.programs.exporting import export_rows
from meridian.programs.forms import EnrollmentFilterForm, ImportForm
from meridian.programs.import_jobs import staged_confirm, staged_preview
from meridian.programs.importing import CHANGED_SINCE_PREVIEW, ImportReport, participants_import
from meridian.programs.models import Enrollment, ImportStatus, StagedImport
from meridian.programs.services import InvitationRequest

PREVIEW_ROWS = 25


@login_required
def import_upload(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    cohort = selectors.get_cohort_for_user(request.user, public_id, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: tuple[object, ...] = ()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        parsed = read_participants(
            data, filename=upload.name, ignore_unknown=form.cleaned_data["ignore_unknown"]
        )
        errors = (
            parsed.errors
            or participants_import(
                cohort=cohort, people=parsed.people, actor=request.user, dry_run=True
            ).errors
        )
        if not errors:
            staged = StagedImport.objects.create(
                cohort=cohort,
                uploaded_by=request.user,
                filename=upload.name[:255],
                data=data,
                ignore_unknown=form.cleaned_data["ignore_unknown"],
            )
            return _go(request, reverse("programs:import_preview", args=[staged.public_id]))
    context = {"form": form, "cohort": cohort, "errors": errors, "columns": COLUMNS}
    # htmx swaps only 2xx answers: it gets the error table with 200, a plain form post 422.
    status = 422 if errors and not request.htmx else 200
    return render(request, "programs/import_upload.html", context, status=status)


@login_required
def import_preview(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    staged = selectors.get_staged_import_for_user(request.user, public_id)
    if staged.status != ImportStatus.STAGED:
        return _import_status(request, staged)
    report, people = staged_preview(staged, actor=request.user)
    if request.method == "POST" and report.ok:
        staged = selectors.get_staged_import_for_user(request.user, public_id, write=True)
        done = staged_confirm(
            staged=staged, actor=request.user, digest=request.POST.get("digest", ""), rows=len(people)
        )
        if done is None:  # a large file: its job runs, this page follows it
            return _go(request, reverse("programs:import_preview", args=[staged.public_id]))
        if done.written:
            messages.success(request, _imported_message(request, done, staged))
            return _go(request, _people_url(staged))
        changed = any(e.message == CHANGED_SINCE_PREVIEW for e in done.errors)
        report = report if changed else replace(report, errors=done.errors)
    return render(
        request,
        "programs/import_preview.html",
        {
            "staged": staged,
            "cohort": staged.cohort,
            "report": report,
            "errors": report.errors,
            "rows": people[:PREVIEW_ROWS],
            "more": max(0, len(people) - PREVIEW_ROWS),
            "changed": request.method == "POST" and report.ok,
        },
    )


@login_required
def import_progress(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The progress of an import job, polled by htmx; the page moves on when it ends."""
    staged = selectors.get_staged_import_for_user(request.user, public_id)
    if staged.status == ImportStatus.DONE:
        messages.success(request, _imported_message(request, staged.outcome, staged))
        return HttpResponseClientRedirect(_people_url(staged))
    response = _import_status(request, staged, fragment=True)
    if staged.status == ImportStatus.FAILED:
        response["HX-Refresh"] = "true"
    return response


def _import_status(request: AuthedRequest, staged: StagedImport, *, fragment: bool = False) -> HttpResponse:
    if staged.status == ImportStatus.DONE and not fragment:
        return redirect(_people_url(staged))
    template = "programs/import_status.html" + ("#status" if fragment else "")
    errors = [RowError(**e) for e in staged.outcome.get("errors", [])]
    return render(request, template, {"staged": staged, "cohort": staged.cohort, "errors": errors})


def _imported_message(
    request: AuthedRequest, done: ImportReport | dict[str, Any], staged: StagedImport
) -> str:
    counts = asdict(done) if isinstance(done, ImportReport) else done
    enrolled = counts["new_enrollments"] + counts["updated_enrollments"]
    text = ngettext(
        "Imported %(n)s person into %(cohort)s.", "Imported %(n)s people into %(cohort)s.", enrolled
    ) % {"n": f"{enrolled:,}", "cohort": staged.cohort.name}
    invited = counts["invited_people"]
    if invited:
        text += " " + ngettext(
            "%(n)s already had an account elsewhere: they were invited and join when they accept.",
            "%(n)s already had accounts elsewhere: they were invited and join when they accept.",
            invited,
        ) % {"n": f"{invited:,}"}
    created = len(counts.get("created_user_ids", ()))
    if created:
        # New people have no password: the button sends each their invitation (one step).
        label = ngettext(
            "Send the new person their invitation",
            "Send the %(n)s new people their invitation",
            created,
        ) % {"n": f"{created:,}"}
        return format_html(
            '{} <form method="post" action="{}" class="inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button small">{}</button></form>',
            text,
            reverse("programs:import_invite", args=[staged.public_id]),
            get_token(request),
            label,
        )
    return text


@login_required
@require_POST
def import_invite(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """Send the people a finished import created their invitation (renewed, never doubled):
    they choose a password on its page and are in."""
    staged = selectors.get_staged_import_for_user(request.user, public_id)
    if staged.status != ImportStatus.DONE:
        raise Http404
    ids = staged.outcome.get("created_user_ids", [])
    enrollments = [
        e
        for e in Enrollment.objects.members()
        .filter(cohort=staged.cohort, user_id__in=ids)
        .select_related("user")
        if not e.user.has_usable_password()  # who chose a password since is in already
    ]
    services.invitations_renew(
        cohort=staged.cohort,
        requests=[InvitationRequest(e.user.email, str(e.role), e.capacity) for e in enrollments],
        actor=request.user,
    )
    messages.success(
        request,
        ngettext(
            "Sent %(n)s invitation: they choose a password and are in.",
            "Sent %(n)s invitations: they choose a password and are in.",
            len(enrollments),
        )
        % {"n": f"{len(enrollments):,}"},
    )
    return redirect(_people_url(staged))


def _people_url(staged: StagedImport) -> str:
    url = reverse("programs:enrollments", args=[staged.cohort.program.public_id])
    return f"{url}?cohort={staged.cohort.public_id}"


def _go(request: AuthedRequest, url: str) -> HttpResponse:
    """A redirect the browser's address bar follows, with or without htmx."""
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def export_participants(request: AuthedRequest, public_id: UUID, fmt: str) -> HttpResponse:
    program = selectors.get_program_for_user(request.user, public_id, write=True)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = EnrollmentFilterForm(
        request.GET or None, program=program, departments=selectors.departments(program)
    )
    filters = (
        selectors.EnrollmentFilters(**form.cleaned_data) if form.is_valid() else selectors.EnrollmentFilters()
    )
    people = export_rows(selectors.enrollment_rows(program, filters))
    name = f"{slugify(program.slug)}-participants-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        # The byte-order mark makes Excel read the file as UTF-8; our reader accepts it.
        text = "\ufeff" + write_participants_csv(people)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_participants_xlsx(people),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
