"""``{% participant_home %}``: the mentor's or mentee's part of the home page, drawn by the
layer that holds mentorships and meetings (see ``meridian.scheduling.participant_home``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from meridian.scheduling.participant_home import participant_home as gather

register = template.Library()


@register.inclusion_tag("scheduling/_participant_home.html", takes_context=True)
def participant_home(context: template.Context) -> dict[str, Any]:
    user = context["user"]
    now = timezone.now()
    return {"rows": gather(user, now), "now": now, "user": user}
