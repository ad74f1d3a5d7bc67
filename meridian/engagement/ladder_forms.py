"""Forms of the ladder: a pair's pause and a program's ladder settings. They check shape;
the services have the last word and name the field they refuse."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from meridian.engagement import pauses
from meridian.engagement.models import LadderSettings


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PauseForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=_date())
    ends_on = forms.DateField(label=_("Until (included)"), widget=_date())
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=pauses.MAX_REASON,
        help_text=_("Your partner and the program team see it, e.g. “holiday”."),
    )


HELP: dict[str, Any] = {
    "first_reminder_hours": _("Before every meeting, in each person's own time (default 24; 0: none)."),
    "second_reminder_hours": _("A second reminder shortly before (default 1; 0: none)."),
    "nudges": _(
        "When a pair needs a check-in or is at risk, both get an email naming the gap, with three "
        "times that suit them both and “did you meet?” answers. On by default."
    ),
    "last_nudge_days": _(
        "One last nudge this many days later if nothing changed (default 7); never more than two."
    ),
    "alerts": _("Email the program's managers and put the pair in the check-in queue. On by default."),
    "alert_after_days": _(
        "After a pair has needed a check-in this many days (default 7); a pair at risk at once."
    ),
    "rematch_suggestions": _(
        "Suggest a new match in the queue when a pair is still at risk a week after your contact. "
        "Nothing is re-matched without you. On by default."
    ),
    "rematch_unresponsive_days": _(
        "Also when a reported partner has not been heard from for this many days (default 21)."
    ),
    "closures": _(
        "Propose closing a pair long without contact: both are asked “still going?”. On by default."
    ),
    "closure_after_days": _("Days without contact between the pair, pauses not counted (default 90)."),
    "closure_notice_days": _(
        "Unanswered, it closes this many days later (default 7) and both get the closing survey."
    ),
    "pulse": _(
        "Three questions to both sides at day 14, day 30, then every 60 days, answered in one click. "
        "On by default."
    ),
    "cohort_reminders": _(
        "At the cohort's start, a week before each event, its mid-point, a month before the end, the end. "
        "On by default."
    ),
    "standing_contacts": _(
        "Put every pair in your queue twice in the first month, then monthly, then quarterly. On by default."
    ),
    "monthly_email_cap": _(
        "Reminders, nudges and pulses a person gets at most each month (default 4); "
        "meeting reminders and closing notices always go."
    ),
}


def _days(name: str, low: int, high: int) -> forms.IntegerField:
    field = LadderSettings._meta.get_field(name)
    assert isinstance(field, models.Field)
    label = field.verbose_name
    return forms.IntegerField(
        label=str(label).capitalize(), min_value=low, max_value=high, help_text=HELP.get(name, "")
    )


class LadderSettingsForm(forms.ModelForm[LadderSettings]):
    """Each step on or off and its timing; the help under each field says its default."""

    first_reminder_hours = _days("first_reminder_hours", 0, 168)
    second_reminder_hours = _days("second_reminder_hours", 0, 24)
    last_nudge_days = _days("last_nudge_days", 1, 60)
    alert_after_days = _days("alert_after_days", 0, 90)
    rematch_unresponsive_days = _days("rematch_unresponsive_days", 7, 180)
    closure_after_days = _days("closure_after_days", 30, 365)
    closure_notice_days = _days("closure_notice_days", 1, 60)
    monthly_email_cap = _days("monthly_email_cap", 1, 31)

    class Meta:
        model = LadderSettings
        fields: ClassVar[list[str]] = [
            "first_reminder_hours",
            "second_reminder_hours",
            "nudges",
            "last_nudge_days",
            "alerts",
            "alert_after_days",
            "rematch_suggestions",
            "rematch_unresponsive_days",
            "closures",
            "closure_after_days",
            "closure_notice_days",
            "pulse",
            "cohort_reminders",
            "standing_contacts",
            "monthly_email_cap",
        ]
        help_texts: ClassVar[dict[str, Any]] = HELP
