"""Free text as people type it: checked before it is saved, never cut silently."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.translation import gettext as _

from meridian.core.errors import MeridianError


class InputRefused(MeridianError):
    """Refused typed text: a :class:`MeridianError` shown beside the form's ``text`` field
    unless it names another (or none)."""

    def __init__(self, message: Any, *, field: str | None = "text") -> None:
        super().__init__(message, field=field)


def fingerprint(text: str) -> str:
    """A short digest of the text a form started from, to notice a save in between."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clean_text(text: str, *, limit: int, what: str) -> str:
    """Line endings unified, outer blanks trimmed; NUL bytes, unencodable characters and
    text over ``limit`` characters refused with :class:`InputRefused` (nothing is cut
    silently)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise InputRefused(
            _("%(what)s contains a NUL character, which cannot be saved. Remove it and try again.")
            % {"what": what}
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputRefused(_("%(what)s contains characters that cannot be saved.") % {"what": what}) from None
    text = text.strip()
    if len(text) > limit:
        raise InputRefused(
            _("%(what)s is too long: %(n)s characters, at most %(limit)s. Nothing was saved.")
            % {"what": what, "n": f"{len(text):,}", "limit": f"{limit:,}"}
        )
    return text
