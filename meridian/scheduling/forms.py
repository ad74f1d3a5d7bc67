"""The meeting forms: propose times, accept one, move, cancel, decline, mark the outcome,
consent to recording. Times typed by hand are read in the viewer's own zone (the active
one); times picked from the slot list travel as UTC ISO strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.core.errors import MeridianError
from meridian.scheduling import services
from meridian.scheduling.models import Channel, VideoSource

MAX_PICKED = 20  # more ticks than anybody offers: refused before parsing


def parse_instant(value: str) -> dt.datetime:
    """A UTC ISO timestamp as the slot list writes it; ``ValueError`` otherwise."""
    if len(value) > 40:
        raise ValueError(value)
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(value)
    return parsed.astimezone(dt.UTC)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)


def _future(value: dt.datetime | None) -> dt.datetime | None:
    """A typed time must lie ahead, within the year: said beside its field."""
    if value is not None:
        try:
            services.check_time(value, services.now())
        except MeridianError as exc:
            raise forms.ValidationError(str(exc)) from None
    return value


def _local_field(label: Any, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=help_text,
    )


def _reason_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=services.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why, in a few words: it helps the others plan.")},
    )


class ProposeForm(forms.Form):
    starts = forms.Field(required=False, widget=forms.MultipleHiddenInput)  # ticked in the slot list
    other = _local_field(
        _("Or another time"), False, _("In your own time zone. It need not be inside everyone's hours.")
    )
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=services.MIN_MINUTES, max_value=services.MAX_MINUTES
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("How you meet"), choices=Channel.choices, widget=forms.RadioSelect)
    video_source = forms.ChoiceField(
        label=_("Video link"), choices=VideoSource.choices, widget=forms.RadioSelect, required=False
    )
    fallback = forms.ChoiceField(
        label=_("If the video fails"),
        choices=Channel.choices,
        help_text=_("Both of you see it on the meeting page and in the invitation."),
    )
    repeat = forms.BooleanField(label=_("Repeat this meeting"), required=False)
    repeat_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=4, required=False
    )
    repeat_count = forms.IntegerField(
        label=_("How many times in all"), min_value=2, max_value=services.MAX_REPEATS, required=False
    )

    def clean_other(self) -> dt.datetime | None:
        return _future(self.cleaned_data.get("other"))

    def clean_starts(self) -> list[dt.datetime]:
        raw = self.data.getlist("starts") if hasattr(self.data, "getlist") else []
        if len(raw) > MAX_PICKED:
            raise forms.ValidationError(_("Offer at most %(n)s times.") % {"n": services.MAX_OPTIONS})
        try:
            return [parse_instant(str(value)) for value in raw if value]
        except ValueError:
            raise forms.ValidationError(_("Pick times from the list.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picked = list(data.get("starts") or [])
        if data.get("other"):
            picked.append(data["other"])
        if "starts" in data and not self.errors.get("other") and not picked:
            raise forms.ValidationError(_("Tick one to three times in the list, or type another time."))
        data["picked"] = picked
        if data.get("repeat"):
            if not data.get("repeat_weeks"):
                self.add_error("repeat_weeks", _("Say how often it repeats."))
            if not data.get("repeat_count"):
                self.add_error("repeat_count", _("Say how many times it happens."))
        return data

    def proposal(self) -> services.MeetingProposal:
        data = self.cleaned_data
        return services.MeetingProposal(
            starts=data["picked"],
            minutes=data["minutes"],
            channel=data["channel"],
            video_source=data.get("video_source") or VideoSource.JITSI,
            fallback=data["fallback"],
            repeat_weeks=(data.get("repeat_weeks") or 0) if data.get("repeat") else 0,
            repeat_count=(data.get("repeat_count") or 0) if data.get("repeat") else 0,
            title=data.get("title") or "",
        )


class AcceptForm(forms.Form):
    start = forms.CharField(max_length=40)

    def clean_start(self) -> dt.datetime:
        try:
            return parse_instant(self.cleaned_data["start"])
        except ValueError:
            raise forms.ValidationError(_("Pick one of the proposed times.")) from None


class ReasonForm(forms.Form):
    reason = _reason_field(_("Why"))


class MeetingMoveForm(forms.Form):
    when = _local_field(_("New time"), True, _("In your own time zone."))
    reason = _reason_field(_("Why it moves"))

    def clean_when(self) -> dt.datetime | None:
        return _future(self.cleaned_data.get("when"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("held", _("Held")), ("missed", _("Missed"))])


class ConsentForm(forms.Form):
    consents = forms.BooleanField(required=False)
