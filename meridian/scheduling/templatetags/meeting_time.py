"""Times shown in their owner's zone (DESIGN.md rule 7). ``|in_zone:zone`` gives a
datetime that Django's ``date`` and ``time`` filters format as it is, in ``zone``, instead
of converting it back to the viewer's zone (the active one); ``|zone_city`` names a zone
the way people say it ("Sao Paulo" for America/Sao_Paulo)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import template
from django.templatetags.tz import do_timezone

register = template.Library()


@register.filter
def in_zone(value: dt.datetime | None, zone: str) -> dt.datetime | str:
    """``value`` (aware) on ``zone``'s clock, marked so templates do not convert it again."""
    if value is None:
        return ""
    result: dt.datetime | str = do_timezone(value, zoneinfo.ZoneInfo(zone))
    return result


@register.filter
def zone_city(zone: object) -> str:
    """The last part of an IANA name, as words: ``America/Argentina/Buenos_Aires`` ->
    ``Buenos Aires``; a name without a city (``UTC``) stays as it is."""
    return str(zone or "").rsplit("/", 1)[-1].replace("_", " ")
