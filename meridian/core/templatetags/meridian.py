"""Small display filters shared by Meridian's templates (``{% load meridian %}``)."""

from __future__ import annotations

import re

from django import template

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
