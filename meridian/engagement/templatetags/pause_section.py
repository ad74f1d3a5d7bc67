"""The pause card of a relationship's page (``{% load pause_section %}{% pause_section mentorship %}``):
its pauses for the pair and the program team, the form to declare one for the pair, and for
the pair the ladder's standing nudge or proposed closure (``selectors.pause_section``)."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.engagement import selectors

register = template.Library()


@register.inclusion_tag("engagement/_pause_section.html", takes_context=True)
def pause_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**selectors.pause_section(mentorship, request.user), "request": request}
