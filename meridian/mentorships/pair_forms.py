"""Forms of the pair's rules of engagement, check-ins and unresponsive reports. They check
shape (types, lengths); the services have the last word and name the field they refuse."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.core.timezones import zone_names
from meridian.mentorships import agreement, checkins, reports
from meridian.mentorships.models import Cadence, Mood, ReplyWithin

TIMES_HELP = _("Weekly, e.g. <code>Mon 09:00-12:00; Wed 14:00-17:30</code>, on the clock of the zone below.")


class TermsForm(forms.Form):
    meeting_times = forms.CharField(
        label=_("Preferred meeting times"),
        max_length=agreement.TEXT_LIMITS["meeting_times"],
        required=False,
        help_text=TIMES_HELP,
    )
    times_zone = forms.ChoiceField(label=_("Time zone of these times"), choices=())
    mentor_replies_within = forms.TypedChoiceField(
        label=_("The mentor replies"), choices=ReplyWithin.choices, coerce=int
    )
    mentee_replies_within = forms.TypedChoiceField(
        label=_("The mentee replies"), choices=ReplyWithin.choices, coerce=int
    )
    meeting_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=agreement.MIN_MINUTES, max_value=agreement.MAX_MINUTES
    )
    every_weeks = forms.TypedChoiceField(label=_("We meet"), choices=Cadence.choices, coerce=int)
    channels = forms.CharField(
        label=_("Channels"),
        max_length=agreement.TEXT_LIMITS["channels"],
        required=False,
        help_text=_("How you reach each other, e.g. video call, chat, email."),
    )
    fallback = forms.CharField(
        label=_("Fallback"),
        max_length=agreement.TEXT_LIMITS["fallback"],
        required=False,
        help_text=_("When the usual way fails, e.g. a phone call."),
    )
    confidentiality = forms.CharField(
        label=_("Confidentiality"),
        max_length=agreement.TEXT_LIMITS["confidentiality"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    may_record = forms.BooleanField(label=_("Our sessions may be recorded"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["times_zone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = [(z, z.replace("_", " ")) for z in sorted(zone_names())]

    def terms(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in agreement.TERMS}


class ProposeForm(TermsForm):
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class AcceptForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=_("How are things?"), choices=Mood.choices, coerce=int, widget=forms.RadioSelect
    )
    line = forms.CharField(label=_("One line (optional)"), max_length=checkins.MAX_LINE, required=False)


class ReportForm(forms.Form):
    since = forms.DateField(
        label=_("No answer since"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    tried = forms.CharField(
        label=_("What you tried"),
        max_length=reports.MAX_TRIED,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by the program team only, e.g. two messages and a call last week."),
    )

    def clean_since(self) -> dt.date:
        since: dt.date = self.cleaned_data["since"]
        return since


class TemplateForm(TermsForm):
    """The program's template: the meeting times come from each pair's shared hours."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["meeting_times"]
        del self.fields["times_zone"]

    def terms(self) -> dict[str, Any]:
        return {**{n: self.cleaned_data[n] for n in self.fields}, "meeting_times": "", "times_zone": "UTC"}
