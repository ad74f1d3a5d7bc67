"""Time helpers: UTC inside, the viewer's IANA zone at the edges."""

from __future__ import annotations

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name this machine knows (computed once)."""
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zone_names())]


def validate_time_zone(value: str) -> None:
    if value not in zone_names():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone; choose a name such as Europe/Berlin."),
            params={"value": value},
            code="invalid_time_zone",
        )
