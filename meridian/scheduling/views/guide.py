"""The program's conversation guide: what each meeting of a pair is about, kept by the
program's managers (and administrators); its topics are suggested as agendas."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.programs.selectors import get_program_for_user
from meridian.scheduling import guide as guides
from meridian.scheduling.guide_forms import GuideFormSet


@login_required
@require_http_methods(["GET", "POST"])
def guide(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = get_program_for_user(request.user, public_id, write=True)
    if request.method == "POST" and "example" in request.POST:
        added = guides.guide_seed(program=program)
        messages.success(
            request,
            ngettext("Added %(n)d example topic.", "Added %(n)d example topics.", added) % {"n": added},
        )
        return redirect("scheduling:guide", program.public_id)
    topics = program.guide.order_by("number")
    taken = set(topics.values_list("number", flat=True))
    following = next((n for n in guides.GUIDE_NUMBERS if n not in taken), None)
    formset = GuideFormSet(
        request.POST or None, queryset=topics, prefix="topics", initial=[{"number": following}]
    )
    if request.method == "POST" and formset.is_valid():
        try:
            guides.guide_save(
                program=program, topics=formset.save(commit=False), deleted=formset.deleted_objects
            )
        except MeridianError as error:
            show_error(request, error, formset)
        else:
            messages.success(request, _("The conversation guide is saved."))
            return redirect("scheduling:guide", program.public_id)
    return render(
        request,
        "scheduling/guide.html",
        {"program": program, "formset": formset, "empty": not taken},
        status=400 if request.method == "POST" else 200,
    )
