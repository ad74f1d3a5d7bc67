"""``{% messages_section mentorship %}``: the conversation's part of a mentorship's page,
drawn by messaging (the mentorships layer below imports nothing from here). Members see
the newest messages and their unread count; the program's team counts and a date only."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.core import permissions
from meridian.messaging import selectors

register = template.Library()


@register.inclusion_tag("messaging/_section_body.html", takes_context=True)
def messages_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    user = context["user"]
    return {
        "mentorship": mentorship,
        "member": permissions.may_read_messages(user, mentorship),
        "writer": permissions.may_message(user, mentorship),
        "summary": selectors.summary(mentorship, user),
        "user": user,
    }
