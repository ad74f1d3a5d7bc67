"""Import participants from a file (upload, preview, confirm) and export them back."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matching_engine.participants import (
    COLUMNS,
    read_participants,
    write_participants_csv,
    write_participants_xlsx,
)
from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.programs import selectors
from meridian.programs.exporting import export_rows
from meridian.programs.forms import EnrollmentFilterForm, ImportForm
from meridian.programs.importing import participants_import
from meridian.programs.models import StagedImport

STAGED_FOR = dt.timedelta(hours=24)
PREVIEW_ROWS = 25


@login_required
def import_upload(request: AuthedRequest, public_id: str) -> HttpResponse:
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
            parsed.errors or participants_import(cohort=cohort, people=parsed.people, dry_run=True).errors
        )
        if not errors:
            staged = StagedImport.objects.create(
                cohort=cohort,
                uploaded_by=request.user,
                filename=upload.name[:255],
                data=data,
                ignore_unknown=form.cleaned_data["ignore_unknown"],
            )
            return redirect("programs:import_preview", staged.public_id)
    return render(
        request,
        "programs/import_upload.html",
        {
            "form": form,
            "cohort": cohort,
            "errors": errors,
            "columns": COLUMNS,
        },
        status=422 if errors else 200,
    )


@login_required
def import_preview(request: AuthedRequest, public_id: str) -> HttpResponse:
    staged = _staged_for(request, public_id)
    parsed = read_participants(
        bytes(staged.data), filename=staged.filename, ignore_unknown=staged.ignore_unknown
    )
    dry_run = request.method != "POST"
    report = participants_import(
        cohort=staged.cohort, people=parsed.people, actor=request.user, dry_run=dry_run
    )
    if report.written:
        staged.applied_at = timezone.now()
        staged.save(update_fields=["applied_at", "updated_at"])
        messages.success(
            request,
            _("Imported %(n)d people into %(cohort)s.")
            % {"n": len(parsed.people), "cohort": staged.cohort.name},
        )
        url = reverse("programs:enrollments", args=[staged.cohort.program.public_id])
        return redirect(f"{url}?cohort={staged.cohort.public_id}")
    return render(
        request,
        "programs/import_preview.html",
        {
            "staged": staged,
            "cohort": staged.cohort,
            "report": report,
            "errors": parsed.errors or report.errors,
            "rows": parsed.people[:PREVIEW_ROWS],
            "more": max(0, len(parsed.people) - PREVIEW_ROWS),
        },
    )


def _staged_for(request: AuthedRequest, public_id: str) -> StagedImport:
    staged = (
        StagedImport.objects.select_related("cohort__program")
        .filter(public_id=selectors.parse_uuid(public_id), applied_at__isnull=True)
        .filter(created_at__gte=timezone.now() - STAGED_FOR)
        .first()
    )
    if staged is None:
        raise Http404
    if not permissions.may_manage_program(request.user, staged.cohort.program):
        raise Http404
    return staged


@login_required
def export_participants(request: AuthedRequest, public_id: str, fmt: str) -> HttpResponse:
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
