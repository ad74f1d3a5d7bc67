"""A person's own email settings for reminders: one email each or a daily digest, and the
reminders the monthly cap held back (listed here, never lost)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meridian.accounts.http import AuthedRequest
from meridian.engagement import selectors
from meridian.engagement.models import EmailPreference, NoticeMode


class EmailPreferenceForm(forms.ModelForm[EmailPreference]):
    mode = forms.ChoiceField(
        label=gettext_lazy("Reminders by email"),
        choices=NoticeMode.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A daily digest arrives at about 08:00 in your time zone. Meeting reminders (by "
            "default a day and an hour before; your program sets when) always come as single emails."
        ),
    )

    class Meta:
        model = EmailPreference
        fields = ("mode",)


@login_required
def email_preference(request: AuthedRequest) -> HttpResponse:
    preference = selectors.email_preference_of(request.user)
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Your reminder emails are saved."))
        return redirect("engagement:email_preference")
    context = {"form": form, "held": selectors.held_notices_of(request.user)}
    return render(request, "engagement/email_preference.html", context)
