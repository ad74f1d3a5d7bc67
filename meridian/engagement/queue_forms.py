"""The check-in queue's forms: a contact with the pair, and a snooze."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from meridian.engagement.models import ContactChannel, ContactOutcome
from meridian.engagement.queue_services import MAX_NOTE, SNOOZE_DAYS


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=[("", _("Pick one")), *ContactChannel.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Pick one")), *ContactOutcome.choices])
    note = forms.CharField(
        label=_("Note (managers only)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Snooze for"),
        coerce=int,
        choices=[(d, ngettext_lazy("%(d)d day", "%(d)d days", "d") % {"d": d}) for d in SNOOZE_DAYS],
    )
