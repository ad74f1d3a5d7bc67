"""The review's filters: ``{{ user|told_apart:twins }}`` (a name, and the HR id or email
when another member shares it) and ``{{ delta|signed }}`` (+0.12, −0.03)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from meridian.matching.naming import apart, label

register = template.Library()


@register.filter
def told_apart(user: Any, twins: Any) -> str | SafeString:
    name = str(user.name)
    if twins and name in twins:
        return format_html('{} <span class="muted small">({})</span>', name, apart(user))
    return name


@register.filter
def signed(value: Any) -> str:
    """A change of score with its sign, two decimals and a true minus (−0.03)."""
    try:
        number = round(float(value), 2)
    except (TypeError, ValueError):
        return ""
    if number == 0:
        return "±0.00"
    return f"+{number:.2f}" if number > 0 else f"−{-number:.2f}"


@register.filter
def named(user: Any, twins: Any) -> str:
    """:func:`told_apart` as plain text (for labels read by screen readers)."""
    return label(user, twins or frozenset())
