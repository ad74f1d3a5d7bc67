"""The pulse card on the relationship's page: the person asked answers the three
questions (any of them alone) with htmx; a plain POST goes back to the page, or, refused,
gets the card with the reasons beside the fields. Anyone else gets 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.engagement import pulse, selectors
from meridian.engagement.models import Continue, Met, Pulse

CARD = "engagement/_pulse_card.html"
RATING_CHOICES = list(pulse.RATING_LABELS.items())


class PulseForm(forms.Form):
    """The three questions, each optional: the service wants at least one."""

    rating = forms.TypedChoiceField(
        label=gettext_lazy("How is it going?"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    met = forms.ChoiceField(
        label=gettext_lazy("Did you meet as agreed?"),
        choices=Met.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    wants_continue = forms.ChoiceField(
        label=gettext_lazy("Do you want to continue?"),
        choices=Continue.choices,
        required=False,
        widget=forms.RadioSelect,
    )


def card_context(found: Pulse, *, form: PulseForm | None = None, saved: bool = False) -> dict[str, Any]:
    """What the pulse card shows its person (``found`` with its mentorship and user)."""
    initial = {"rating": found.rating, "met": found.met, "wants_continue": found.wants_continue}
    return {
        "pulse": found,
        "form": form or PulseForm(initial=initial),
        "saved": saved,
        "closes_at": pulse.closes_at(found),
        "zone": found.user.time_zone or "UTC",
        "next_steps": pulse.NEXT_STEPS,
    }


@login_required
@require_POST
def pulse_answer(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    found = selectors.get_pulse_for_user(request.user, public_id, write=True)
    form = PulseForm(request.POST)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = pulse.pulse_answer(
                pulse=found,
                user=request.user,
                rating=data["rating"],
                met=data["met"] or None,
                wants_continue=data["wants_continue"] or None,
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            saved = True
            if not request.htmx:
                messages.success(request, _("Thank you: your answers are saved."))
                return redirect("portal:workspace", found.mentorship.public_id)
    context = {**card_context(found, form=None if saved else form, saved=saved), "request": request}
    if request.htmx:
        return render(request, CARD, context)
    return render(request, "engagement/_pulse_retry.html", context, status=400)
