"""The closing section of a mentorship's page (``{% load closing_sections %}{% closing_section
mentorship %}``), showing what the viewer may see (``meridian.mentorships.closing_reads``)."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.mentorships import closing_reads

register = template.Library()


@register.inclusion_tag("mentorships/_closing_section.html", takes_context=True)
def closing_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**closing_reads.closing_context(mentorship, request.user), "request": request}
