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


@register.inclusion_tag("mentorships/_closed_notices.html", takes_context=True)
def closed_notices(context: template.Context) -> dict[str, Any]:
    """On the home page: the mentorships someone else closed lately, with a way to reflect."""
    user = context["request"].user
    return {"closed": closing_reads.closed_for(user) if user.is_authenticated else []}
