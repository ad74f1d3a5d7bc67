"""Forms for people: sign-up details and the matching profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matching_engine.availability import AvailabilityError, format_availability, parse_availability
from matching_engine.languages import ISO_639_1
from matching_engine.model import CHANNELS
from meridian.accounts.models import Profile, User
from meridian.core.timezones import zone_choices

LIST_HELP = _("Separate items with semicolons, e.g. “SQL; public speaking”.")


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=zone_choices, initial="UTC")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs["data-detect-zone"] = "1"

    def signup(self, request: Any, user: User) -> None:
        """allauth calls this after creating the user; the adapter already set the fields."""


class ListField(forms.CharField):
    """A `;`-separated list of short phrases, stored as a JSON list."""

    def __init__(self, *, max_items: int = 50, item_length: int = 100, **kwargs: Any) -> None:
        self.max_items, self.item_length = max_items, item_length
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", LIST_HELP)
        kwargs.setdefault("max_length", 5000)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "; ".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = list(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))
        if len(items) > self.max_items:
            raise forms.ValidationError(_("At most %d items.") % self.max_items)
        for item in items:
            if len(item) > self.item_length:
                raise forms.ValidationError(
                    _("“%(item)s…” is longer than %(n)d characters.")
                    % {"item": item[:20], "n": self.item_length}
                )
        return items


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    languages = ListField(
        label=_("Languages"), help_text=_("Two-letter language codes (ISO 639-1), e.g. “en; es”.")
    )
    skills_offered = ListField(label=_("Skills I can offer"))
    skills_wanted = ListField(label=_("Skills I want to grow"))
    interests = ListField(label=_("Interests"))
    values = ListField(label=_("Values that matter to me"))
    manager_email = forms.EmailField(
        label=_("My manager's email"),
        required=False,
        help_text=_("So you are never matched inside your own reporting line."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Preferred channels"),
        choices=[(c, _(c.capitalize())) for c in CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Profile
        fields = (
            "title",
            "department",
            "seniority",
            "bio",
            "goals",
            "availability",
        )
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            # The example lives in the help text: a placeholder reads like a filled-in value.
            "availability": forms.TextInput(),
        }

    field_order = ("name", "time_zone", "title", "department", "manager_email", "seniority")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["name"].initial = user.name
        self.fields["time_zone"].initial = user.time_zone
        manager = self.instance.manager
        self.fields["manager_email"].initial = manager.email if manager else ""
        for name in ("languages", "skills_offered", "skills_wanted", "interests", "values", "channels"):
            self.fields[name].initial = getattr(self.instance, name)

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in self.cleaned_data["languages"]]
        unknown = [code for code in codes if code not in ISO_639_1]
        if unknown:
            raise forms.ValidationError(_("Not ISO 639-1 language codes: %s") % ", ".join(unknown))
        return codes

    def clean_manager_email(self) -> User | None:
        email = self.cleaned_data["manager_email"].lower()
        if not email:
            return None
        manager = User.objects.filter(email=email, is_active=True).first()
        if manager is None:
            raise forms.ValidationError(_("Nobody with this email has an account here."))
        if manager.pk == self.instance.user_id:
            raise forms.ValidationError(_("You cannot be your own manager."))
        return manager

    def clean_availability(self) -> str:
        try:
            return format_availability(parse_availability(self.cleaned_data["availability"]))
        except AvailabilityError as error:
            raise forms.ValidationError(str(error)) from error

    def save(self, commit: bool = True) -> Profile:
        profile: Profile = super().save(commit=False)
        for name in ("languages", "skills_offered", "skills_wanted", "interests", "values", "channels"):
            setattr(profile, name, list(self.cleaned_data[name]))
        profile.manager = self.cleaned_data["manager_email"]
        profile.user.name = self.cleaned_data["name"]
        profile.user.time_zone = self.cleaned_data["time_zone"]
        if commit:
            profile.user.save(update_fields=["name", "time_zone"])
            profile.save()
        return profile
