"""A run's settings in the manager's words (the labels of the settings form), for the
comparison of two runs: never a raw key such as ``constraints.min_shared_hours``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from meridian.matching.forms import CRITERION_LABELS, RunSettingsForm


def setting_rows(changed: list[tuple[str, Any, Any]]) -> list[tuple[str, str, str]]:
    """``(key, in A, in B)`` rows as ``(label, value in A, value in B)``, in words."""
    return [(setting_label(key), setting_value(key, a), setting_value(key, b)) for key, a, b in changed]


def _field(key: str) -> forms.Field | None:
    fields = RunSettingsForm().fields
    name = key.rsplit(".", 1)[-1]
    if key.startswith("weights."):
        name = f"w_{name}"
    return fields.get(name)


def setting_label(key: str) -> str:
    """The words the settings form uses for ``key`` (a flattened settings key)."""
    if key == "locked pairs":
        return _("Locked pairs kept from the earlier run")
    if key.startswith("weights."):
        criterion = key.split(".", 1)[1]
        label = CRITERION_LABELS.get(criterion, (criterion.replace("_", " "), ""))[0]
        return _("Weight of “%(criterion)s”") % {"criterion": label}
    found = _field(key)
    if found is not None and found.label:
        return str(found.label)
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def setting_value(key: str, value: Any) -> str:
    """``value`` of setting ``key`` in words: yes or no, a choice's label, a number."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    found = _field(key)
    if isinstance(found, forms.ChoiceField):
        labels = {str(k): str(v) for k, v in list(found.choices)}  # type: ignore[arg-type]
        return labels.get(str(value), str(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
