"""Forms of closing a mentorship and of a later reflection. They check shape (choices,
lengths); the services have the last word and name the field they refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.mentorships import closing
from meridian.mentorships.models import CloseReason, MentorshipStatus, Recommend


class ReflectionForm(forms.Form):
    achieved = forms.CharField(
        label=_("What was achieved?"),
        max_length=closing.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by the people in this mentorship only, never by the program team."),
    )
    next_steps = forms.CharField(
        label=_("What next?"),
        max_length=closing.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recommend = forms.ChoiceField(
        label=_("Would you recommend this mentoring to a colleague?"),
        choices=Recommend.choices,
        widget=forms.RadioSelect,
    )

    def thoughts(self) -> closing.Thoughts:
        return closing.Thoughts(
            achieved=self.cleaned_data["achieved"],
            next_steps=self.cleaned_data["next_steps"],
            recommend=self.cleaned_data["recommend"],
        )


class CloseForm(ReflectionForm):
    outcome = forms.ChoiceField(
        label=_("How does it end?"),
        choices=[
            (MentorshipStatus.COMPLETED, _("Completed: the cohort is ending")),
            (MentorshipStatus.ENDED, _("It ends early")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Why does it end?"),
        choices=[("", _("Choose…")), *CloseReason.choices],
        help_text=_("The program team sees this category, never your reflection."),
    )
    rematch = forms.BooleanField(
        label=_("I would like to be matched with another mentor"),
        required=False,
        help_text=_("The program team proposes someone new; your former mentor is left out."),
    )
    field_order = ("outcome", "reason", "achieved", "next_steps", "recommend", "rematch")

    def __init__(self, *args: object, rematch: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not rematch:
            del self.fields["rematch"]
