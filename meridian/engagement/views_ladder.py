"""A program's escalation ladder settings, for its managers (404 for anybody else)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meridian.accounts.http import AuthedRequest
from meridian.engagement.ladder import settings_for
from meridian.engagement.ladder_forms import LadderSettingsForm
from meridian.programs import selectors as program_selectors


@login_required
@require_http_methods(["GET", "POST"])
def ladder_settings(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    program = program_selectors.get_program_for_user(request.user, public_id, write=True)
    current = settings_for([program.pk])[program.pk]
    form = LadderSettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("The ladder is saved: the next sweep follows it."))
            url = reverse("engagement:ladder_settings", args=[program.public_id])
            if request.htmx:  # the whole page again, with the message at its top
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
        messages.error(request, _("Not saved: see the reasons in the form."))
        status = 200 if request.htmx else 400
    return render(
        request, "engagement/ladder_settings.html", {"program": program, "form": form}, status=status
    )
