"""A pair's health on the program team's overview of it (``{% load health_section %}
{% health_section mentorship %}``): the score and band, every reason, the band's history,
the last contact of the pair, the open queue items and the managers' contact log. Shown to
the program's managers only (``may_see_health``); nothing for anyone else. Four queries."""

from __future__ import annotations

from typing import Any

from django import template

from meridian.core import permissions
from meridian.engagement import selectors

register = template.Library()


@register.inclusion_tag("engagement/_health_section.html", takes_context=True)
def health_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    if not permissions.may_see_health(request.user, mentorship):
        return {"shown": False}
    view = selectors.health_view(mentorship)
    return {
        "shown": True,
        "mentorship": mentorship,
        "view": view,
        "health": view.health,
        "viewer_zone": request.user.time_zone,
        "request": request,
    }
