"""Forms for people: sign-up details and the matching profile."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matching_engine import (
    CHANNELS,
    ISO_639_1,
    WEEKDAYS,
    AvailabilityError,
    format_availability,
    parse_availability,
)
from meridian.accounts.models import Profile, User
from meridian.accounts.weekgrid import WEEK_TEXT_MAX
from meridian.accounts.weekgrid_display import WeekGrid, grid_texts, week_grid
from meridian.core.timezones import zone_choices, zone_names

LIST_HELP = _("Separate items with semicolons, e.g. “SQL; public speaking”.")
# Every quarter hour of the week as a window of its own, in canonical text, fits.
DEFAULT_WORKING_HOURS = "; ".join(f"{day} 09:00-17:00" for day in WEEKDAYS[:5])
PHONE = re.compile(r"\+?[0-9 ()-]+")


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
    availability = forms.CharField(
        label=_("Weekly availability"),
        required=False,
        max_length=WEEK_TEXT_MAX,
        help_text=_(
            "In your own time zone, e.g. “Mon 09:00-12:00; Wed 14:00-17:30”: "
            "times on 15-minute steps, a window may end at 24:00."
        ),
    )
    working_hours = forms.CharField(
        label=_("Working hours"),
        required=False,
        max_length=2000,
        help_text=_("In the same form as your availability; empty means Mon-Fri 09:00-17:00."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Preferred channels"),
        choices=[(c, _(c.capitalize())) for c in CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_(
            "Shown only to the people you are matched with, for phone meetings. "
            "Digits, spaces, +, - and brackets, e.g. “+49 30 1234 5678”."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    video_link = forms.URLField(
        label=_("My meeting link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Your personal Zoom, Teams or Google Meet link, if you prefer it to a new room. "
            "It starts with https://."
        ),
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
            "working_hours",
            "phone",
            "video_link",
        )
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ("name", "time_zone", "title", "department", "manager_email", "seniority")
    # Shown in their own parts of the page, after "about you".
    WEEK_FIELDS = ("availability", "working_hours")
    CONTACT_FIELDS = ("channels", "phone", "video_link")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance.user
        self.fields["name"].initial = user.name
        self.fields["time_zone"].initial = user.time_zone
        manager = self.instance.manager
        self.fields["manager_email"].initial = manager.email if manager else ""
        for name in ("languages", "skills_offered", "skills_wanted", "interests", "values", "channels"):
            self.fields[name].initial = getattr(self.instance, name)
        for name in self.WEEK_FIELDS:
            # Typing redraws the grid (weekgrid.js); without JavaScript these do nothing.
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("profile"),
                    "hx-trigger": "input changed delay:400ms",
                    "hx-target": f"#grid-{name}",
                    "hx-swap": "outerHTML",
                    "hx-sync": "this:replace",
                    "hx-include": "#id_time_zone",
                    "hx-vals": json.dumps({"grid": name}),
                    "spellcheck": "false",
                }
            )

    def about_fields(self) -> list[forms.BoundField]:
        rest = {*self.WEEK_FIELDS, *self.CONTACT_FIELDS}
        return [field for field in self.visible_fields() if field.name not in rest]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CONTACT_FIELDS]

    def week_grids(self) -> dict[str, WeekGrid]:
        """The grids of the page, drawn from what the form shows (the submitted text after
        an error, so a mistake is never replaced by the saved value)."""
        zone = self["time_zone"].value()
        zone = zone if zone in zone_names() else self.instance.user.time_zone
        return {
            "availability": week_grid(
                field="availability", text=str(self["availability"].value() or ""), zone=zone
            ),
            "working_hours": week_grid(
                field="working_hours",
                text=str(self["working_hours"].value() or ""),
                zone=zone,
                default=DEFAULT_WORKING_HOURS,
            ),
        }

    def grid_texts(self) -> dict[str, Any]:
        return grid_texts()

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
        return _canonical_week(self.cleaned_data["availability"])

    def clean_working_hours(self) -> str:
        return _canonical_week(self.cleaned_data["working_hours"])

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        if not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                _("Use digits, spaces, brackets and “-” only, with “+” only at the start.")
            )
        digits = sum(char.isdigit() for char in phone)
        if not 6 <= digits <= 20:
            raise forms.ValidationError(_("A phone number has 6 to 20 digits; this one has %d.") % digits)
        return phone

    def clean_video_link(self) -> str:
        link: str = self.cleaned_data["video_link"]
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError(
                _("Use a secure link, one that starts with https:// (Zoom, Teams and Meet links do).")
            )
        return link

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


def _canonical_week(text: str) -> str:
    try:
        return format_availability(parse_availability(text))
    except AvailabilityError as error:
        raise forms.ValidationError(str(error)) from error
