"""Addresses that leave the site (emails, calendar files, feeds) are absolute: ``SITE_URL``
and the page's path."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args: object) -> str:
    """The full address of the page named ``viewname`` (with ``args``), on ``SITE_URL``."""
    return str(settings.SITE_URL).rstrip("/") + reverse(viewname, args=args)
