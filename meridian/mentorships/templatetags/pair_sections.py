"""The pair's sections of a mentorship's page: the agreement's state, the quick check-in
and an unresponsive partner (``{% load pair_sections %}{% agreement_section mentorship %}``),
each showing what the viewer may see (``meridian.mentorships.sections``)."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.mentorships import sections

register = template.Library()


@register.inclusion_tag("mentorships/_agreement_section.html", takes_context=True)
def agreement_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**sections.agreement_context(mentorship, request.user), "request": request}


@register.inclusion_tag("mentorships/_checkin_section.html", takes_context=True)
def checkin_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**sections.checkin_context(mentorship, request.user), "request": request}


@register.inclusion_tag("mentorships/_report_section.html", takes_context=True)
def report_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    return {**sections.report_context(mentorship, request.user), "request": request}
