"""Forms for programs, cohorts, applications and invitations."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from meridian.programs.models import Cohort, EnrollmentStatus, Program, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_INVITES = 200


class DatesInOrder(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class ProgramForm(DatesInOrder):
    class Meta:
        model = Program
        fields = Program.SETTINGS
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens. Used in links and in spreadsheet imports.")
        }


class CohortForm(DatesInOrder):
    class Meta:
        model = Cohort
        fields = ("name", "slug", "description", "starts_on", "ends_on", "status")
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        taken = self.program.cohorts.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(_("This program already has a cohort with this short name."))
        return slug


class ApplyForm(forms.Form):
    role = forms.ChoiceField(label=_("I want to join as"), choices=Role.choices, widget=forms.RadioSelect)
    capacity = forms.IntegerField(
        label=_("How many mentees can you take?"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        help_text=_("Mentors only. Most mentors take one or two."),
    )
    motivation = forms.CharField(
        label=_("What do you hope to get from it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.MENTOR and not data.get("capacity"):
            self.add_error("capacity", _("Say how many mentees you can take."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or more addresses, separated by commas, spaces or new lines (at most 200)."),
        max_length=20000,
    )
    role = forms.ChoiceField(label=_("Invite as"), choices=Role.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Personal message (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_emails(self) -> list[str]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["emails"]) if p]
        bad = []
        for part in parts:
            try:
                validate_email(part)
            except forms.ValidationError:
                bad.append(part[:60])
        if bad:
            raise forms.ValidationError(_("Not valid email addresses: %s") % ", ".join(bad[:10]))
        if len(parts) > MAX_INVITES:
            raise forms.ValidationError(_("At most %d addresses at a time.") % MAX_INVITES)
        return [p.lower() for p in parts]


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search name, title or department"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class EnrollmentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search name or email"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *EnrollmentStatus.choices]
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("name", _("Name")),
            ("-applied", _("Newest")),
            ("applied", _("Oldest")),
            ("department", _("Department")),
        ],
    )

    def __init__(self, *args: Any, program: Program, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cohorts = [(str(c.public_id), c.name) for c in program.cohorts.all()]
        self._choices("cohort", [("", _("All cohorts")), *cohorts])
        self._choices("department", [("", _("All departments")), *[(d, d) for d in departments]])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant file"),
        help_text=_("CSV (UTF-8) or XLSX with one header row, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    ignore_unknown = forms.BooleanField(label=_("Skip columns Meridian does not know"), required=False)

    def clean_file(self) -> Any:
        from matching_engine import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB. Split it into smaller files.")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
            )
        return upload
