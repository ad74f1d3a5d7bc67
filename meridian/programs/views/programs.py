"""Program pages: list, create, overview, edit."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.programs import selectors, services
from meridian.programs.forms import ProgramForm


@login_required
def program_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": selectors.programs_for_list(request.user),
            "may_create": permissions.may_create_program(request.user),
        },
    )


@login_required
def program_create(request: AuthedRequest) -> HttpResponse:
    if not permissions.may_create_program(request.user):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = services.program_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Program created. Add its first cohort next."))
        return redirect("programs:detail", program.public_id)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
def program_detail(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_user(request.user, public_id)
    manages = permissions.may_manage_program(request.user, program)
    cohorts = selectors.cohorts_with_counts(program)
    if not manages:
        cohorts = cohorts.filter(pk__in=program.cohorts.visible_to(request.user).values("pk"))
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "cohorts": cohorts,
            "manages": manages,
            "managers": program.managers.order_by("name"),
        },
    )


@login_required
def program_edit(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = selectors.get_program_for_user(request.user, public_id, write=True)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Program saved."))
        return redirect("programs:detail", program.public_id)
    return render(request, "programs/program_form.html", {"form": form, "program": program})
