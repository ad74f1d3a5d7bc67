"""The form a person fills in to make an API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.api.models import Lifetime


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Reporting script”: you will see it in the list."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=Lifetime.choices,
        coerce=int,
        initial=Lifetime.QUARTER,
        help_text=_("Every token expires: make a new one when it does."),
    )
