"""Forms of the development plan: a goal, a progress update, the program's suggestions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.mentorships import goals
from meridian.mentorships.models import GoalStatus


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=goals.MAX_TITLE,
        help_text=_(
            "The program's team sees each goal's title and status; everything else in the plan"
            " stays within the mentorship."
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=goals.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_on = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        max_length=goals.MAX_MILESTONES * (goals.MAX_TITLE + 2),
        help_text=_("One per line, in order."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_milestones(self) -> list[str]:
        found = _lines(self.cleaned_data["milestones"])
        if len(found) > goals.MAX_MILESTONES:
            raise forms.ValidationError(_("At most %(n)d milestones."), params={"n": goals.MAX_MILESTONES})
        if any(len(t) > goals.MAX_TITLE for t in found):
            raise forms.ValidationError(
                _("A milestone has at most %(n)d characters."), params={"n": goals.MAX_TITLE}
            )
        return found

    def to_input(self) -> goals.GoalInput:
        data = self.cleaned_data
        return goals.GoalInput(data["title"], data["description"], data["target_on"], data["milestones"])

    @classmethod
    def for_goal(cls, goal: Any) -> GoalForm:
        initial = {
            "title": goal.title,
            "description": goal.description,
            "target_on": goal.target_on,
            "milestones": "\n".join(m.title for m in goal.milestones.all()),
        }
        return cls(initial=initial, prefix="edit")


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 5, "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    comment = forms.CharField(
        label=_("What changed"),
        max_length=goals.MAX_COMMENT,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "progress")
        super().__init__(*args, **kwargs)


class SamplesForm(forms.Form):
    titles = forms.CharField(
        label=_("Suggested goals"),
        required=False,
        max_length=goals.MAX_SAMPLES * (goals.MAX_TITLE + 2),
        help_text=_("One goal per line; pairs add them to their plan with one click."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_titles(self) -> list[str]:
        found = list(dict.fromkeys(_lines(self.cleaned_data["titles"])))
        if len(found) > goals.MAX_SAMPLES:
            raise forms.ValidationError(_("At most %(n)d suggestions."), params={"n": goals.MAX_SAMPLES})
        if any(len(t) > goals.MAX_TITLE for t in found):
            raise forms.ValidationError(
                _("A goal has at most %(n)d characters."), params={"n": goals.MAX_TITLE}
            )
        return found
