"""The pulse card of a relationship's page (``{% load pulse_card %}{% pulse_card mentorship %}``):
shown to the person viewing it while their own pulse is open, nothing otherwise. One query."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from meridian.engagement import selectors
from meridian.engagement.views_pulse import card_context

register = template.Library()


@register.inclusion_tag("engagement/_pulse_card.html", takes_context=True)
def pulse_card(context: template.Context, mentorship: Any) -> dict[str, Any]:
    request = context["request"]
    found = selectors.open_pulses(request.user, timezone.now()).filter(mentorship=mentorship).first()
    if found is None:
        return {"pulse": None}
    return {**card_context(found), "request": request}
