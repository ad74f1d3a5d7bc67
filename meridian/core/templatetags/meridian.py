"""Small display filters shared by Meridian's templates (``{% load meridian %}``)."""

from __future__ import annotations

import math
import re
from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

_CAPITALISED_WORD = re.compile(r"(?<=\s)([A-Z])(?=[a-z])")


@register.filter
def zone(name: object) -> str:
    """An IANA zone name as people read it: ``America/Sao_Paulo`` -> ``America/Sao Paulo``."""
    return str(name or "").replace("_", " ")


@register.filter
def sentence_case(text: object) -> str:
    """Lower-case the capitalised words after the first (``New Password`` -> ``New password``),
    for labels that come from django-allauth in Title Case. All-capital words stay."""
    return _CAPITALISED_WORD.sub(lambda match: match.group(1).lower(), str(text or ""))


@register.filter
def has_required_fields(form: Any) -> bool:
    """Whether ``form`` shows a field that must be filled in (and so a "*" to explain)."""
    return any(
        field.field.required and not field.field.disabled and field.widget_type != "checkbox"
        for field in form.visible_fields()
    )


@register.filter
def without_placeholder(field: BoundField) -> BoundField:
    """``field`` with no placeholder: the label says what to type, and a grey example
    inside the box reads like a value already filled in. (The form's fields are its
    own copies, so this changes no other form.)"""
    field.field.widget.attrs.pop("placeholder", None)
    return field


@register.filter
def item(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template, or "" when it is missing."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def pct(value: object, scale: object = 1) -> int:
    """``value`` as a whole percentage of ``scale``, from 0 to 100: ``{{ 0.42|pct }}`` and
    ``{{ 42|pct:100 }}`` are both 42. Bars are sized with the ``w-N``/``h-N`` classes of
    meridian.css, since the Content Security Policy allows no inline ``style``."""
    try:
        share = float(value) / float(scale)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
    if math.isnan(share):
        return 0
    return round(max(0.0, min(100.0, share * 100)))
