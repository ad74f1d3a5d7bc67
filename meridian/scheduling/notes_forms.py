"""A meeting's forms: one text at a time, an action item, ticking one off."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meridian.mentorships.models import Goal, Member
from meridian.scheduling.actions import MAX_ACTION
from meridian.scheduling.models import MAX_NOTE
from meridian.scheduling.notes import TEXT_FIELDS

ROWS = {"agenda": 6, "shared_notes": 10, "recap": 6, "private": 6}
HELP = {
    "agenda": _("What you want to talk about. Both of you can edit it."),
    "shared_notes": _("Notes you both can read and edit."),
    "recap": _("What you agreed and what happens next, in a few lines."),
    "private": _("Private: only you can read this"),
}


def _textarea(field: str, limit: int) -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=limit,
        help_text=HELP[field],
        widget=forms.Textarea(attrs={"rows": ROWS[field], "maxlength": limit}),
    )


class TextForm(forms.Form):
    """One of the shared texts (``field``: agenda, shared_notes or recap); ``seen`` is the
    fingerprint of the text the person started from."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, field: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", field)
        super().__init__(*args, **kwargs)
        self.fields["text"] = _textarea(field, TEXT_FIELDS[field])

    def clean_seen(self) -> str:
        return str(self.cleaned_data["seen"])[:64]


class PrivateNoteForm(forms.Form):
    text = _textarea("private", MAX_NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "private")
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("New action"), max_length=MAX_ACTION)
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    goal = forms.ChoiceField(label=_("For the goal"), required=False)

    def __init__(
        self, *args: Any, members: Sequence[Member], user: Any = None, goals: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        # The pair's active goals (a queryset, read only when the form is drawn or checked).
        self.goals = goals if goals is not None else Goal.objects.none()
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)
        goal.choices = lambda: [("", _("None")), *((str(g.public_id), g.title) for g in self.goals)]
        self.people = {str(m.user.public_id): m.user for m in members}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [(key, person.name or person.email) for key, person in self.people.items()]
        if user is not None and not self.is_bound:
            owner.initial = str(user.public_id)

    def clean_owner(self) -> Any:
        person = self.people.get(self.cleaned_data["owner"])
        if person is None:
            raise forms.ValidationError(_("Choose a current member of this mentorship."))
        return person

    @property
    def has_goals(self) -> bool:
        """Whether the pair has an active goal to offer (the goals are read once)."""
        return bool(list(self.goals))

    def clean_goal(self) -> Any:
        chosen = self.cleaned_data.get("goal")
        return next((g for g in self.goals if str(g.public_id) == chosen), None) if chosen else None


class DoneForm(forms.Form):
    done = forms.BooleanField(required=False)
