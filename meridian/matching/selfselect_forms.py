"""The self-select forms: ask mentors, rule one out, answer a request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.matching.selfselect import NOTE_MAX

MAX_CHOSEN = 50  # more ticks than any program allows: refused before any lookup


class RequestForm(forms.Form):
    """The mentors ticked on the recommendations page (public ids) and one note for them all."""

    mentor = forms.Field(required=False, widget=forms.MultipleHiddenInput)  # ticked in each mentor's card
    message = forms.CharField(
        label=_("A note to the mentors you ask (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you hope to learn, or why you chose them. Each mentor you ask sees it."),
    )

    def clean_mentor(self) -> list[str]:
        chosen = [str(v) for v in self.cleaned_data.get("mentor") or [] if v]
        if not chosen:
            raise forms.ValidationError(_("Tick at least one mentor to ask."))
        if len(chosen) > MAX_CHOSEN:
            raise forms.ValidationError(_("That is more mentors than you can ask at once."))
        return chosen


NOT_FOR_ME_REASONS = [
    ("manager", _("They are my manager")),
    ("colleague", _("We already work together")),
    ("other", _("Another reason")),
]


class NotForMeForm(forms.Form):
    mentor = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Why not"), choices=NOT_FOR_ME_REASONS, widget=forms.RadioSelect, initial="other"
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("accept", _("Accept")),
            ("decline", _("Decline")),
            ("never", _("Decline and never match us")),
        ]
    )
    reply = forms.CharField(
        label=_("A note back (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
