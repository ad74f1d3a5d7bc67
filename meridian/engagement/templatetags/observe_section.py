"""Observing a session, on a mentorship's page (``{% load observe_section %}
{% observe_section mentorship %}``): the managers ask, the pair answers
(``meridian.engagement.observe_reads``)."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.engagement.observe_reads import section_context

register = template.Library()


@register.inclusion_tag("engagement/_observe_section.html", takes_context=True)
def observe_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**section_context(mentorship, request.user), "request": request}
