"""The manager's forms: a run's settings, and the review's edits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matching_engine.problem import CRITERIA, Mode, Objective
from meridian.matching.adapter import WEIGHT_RANGE

CRITERION_LABELS = {
    "values": (_("Shared values and goals"), _("Values, interests and goals, free text included.")),
    "skills": (
        _("Skills offered against skills wanted"),
        _("What the mentor can teach that the mentee wants."),
    ),
    "hours": (_("Shared working hours"), _("Hours a week both are available, across the two time zones.")),
    "languages": (_("Common languages"), _("Languages both speak.")),
    "seniority": (_("Seniority gap"), _("A mentor two to four levels above the mentee.")),
    "channels": (_("Preferred channels"), _("Video, phone, email or messages in common.")),
}


class RunSettingsForm(forms.Form):
    """Weights as sliders, hard constraints, mode and objective."""

    min_shared_hours = forms.FloatField(
        label=_("Shared hours a week, at least"),
        min_value=0,
        max_value=40,
        initial=1.0,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
        help_text=_("Pairs with fewer hours both can meet are never proposed."),
    )
    require_common_language = forms.BooleanField(label=_("Require a common language"), required=False)
    separate_reporting_lines = forms.BooleanField(
        label=_("Never pair people in the same reporting line"),
        required=False,
        help_text=_("Manager, manager's manager, at any depth, either way."),
    )
    separate_departments = forms.BooleanField(
        label=_("Never pair people of the same department"), required=False
    )
    allow_all_incomplete = forms.BooleanField(
        label=_("Let people with incomplete profiles be matched on what they have"),
        required=False,
        help_text=_(
            "Off: someone who left out what a rule needs (availability, languages, department) is "
            "not matched, since the rule cannot be checked. On: the rule skips what they left out, "
            "for them only. Either way, what they left out counts 0 in the score."
        ),
    )
    mode = forms.ChoiceField(
        label=_("Kind of matching"),
        choices=[
            (Mode.OPTIMAL.value, _("Best total: the highest total score the constraints allow")),
            (
                Mode.STABLE.value,
                _("Stable: nobody would both rather be with each other than with their match"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    objective = forms.ChoiceField(
        label=_("Priority"),
        choices=[
            (Objective.SCORE.value, _("The highest total score")),
            (Objective.COVERAGE.value, _("Match as many mentees as possible first, then the best score")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = WEIGHT_RANGE
        for name in CRITERIA:
            label, help_text = CRITERION_LABELS[name]
            self.fields[f"w_{name}"] = forms.FloatField(
                label=label,
                help_text=help_text,
                min_value=low,
                max_value=high,
                widget=forms.NumberInput(attrs={"type": "range", "step": "0.25", "min": low, "max": high}),
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"w_{name}"] for name in CRITERIA]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(f"w_{name}") == 0 for name in CRITERIA):
            raise forms.ValidationError(_("Give at least one criterion a weight above zero."))
        return data

    @staticmethod
    def initial_from(settings: dict[str, Any]) -> dict[str, Any]:
        constraints = settings.get("constraints", {})
        return {
            **{f"w_{k}": v for k, v in settings.get("weights", {}).items()},
            **constraints,
            "mode": settings.get("mode"),
            "objective": settings.get("objective"),
        }

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "weights": {name: float(data[f"w_{name}"]) for name in CRITERIA},
            "constraints": {
                "min_shared_hours": float(data["min_shared_hours"]),
                "require_common_language": bool(data["require_common_language"]),
                "separate_reporting_lines": bool(data["separate_reporting_lines"]),
                "separate_departments": bool(data["separate_departments"]),
                "allow_all_incomplete": bool(data["allow_all_incomplete"]),
            },
            "mode": data["mode"],
            "objective": data["objective"],
        }


class PublicIdField(forms.UUIDField):
    default_error_messages = {"invalid": _("Choose a person from the list.")}


class MoveForm(forms.Form):
    mentee = PublicIdField(label=_("Mentee"))
    mentor = PublicIdField(label=_("New mentor"))


class PairsField(forms.Field):
    """The ticked pairs' ids (checkboxes named ``pair``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [] if value in (None, "") else [value]
        try:
            return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]
        except ValueError:
            raise forms.ValidationError(_("Tick exactly two pairs.")) from None


class SwapForm(forms.Form):
    pair = PairsField(label=_("Pairs"))

    def clean_pair(self) -> list[int]:
        pairs: list[int] = self.cleaned_data["pair"]
        if len(pairs) != 2 or pairs[0] == pairs[1]:
            raise forms.ValidationError(_("Tick exactly two pairs."))
        return pairs


class ExcludeForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class SearchForm(forms.Form):
    """A name to look for; text the database cannot hold (a NUL byte) or too long is ignored."""

    q = forms.CharField(max_length=100, required=False, strip=True)

    @classmethod
    def text(cls, value: str) -> str:
        form = cls({"q": value})
        return str(form.cleaned_data["q"]) if form.is_valid() else ""
