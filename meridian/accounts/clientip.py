"""The client's address, one rule for every limiter (django-axes and allauth's rate
limits): behind ``TRUSTED_PROXY_COUNT`` proxies of ours, each appending the address it
saw to X-Forwarded-For, the client is the entry that many places from the right.
Entries further left were written by the client and are never trusted; with no proxy
(count 0) the header is ignored and the connection's address is the client."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | Any) -> str | None:
    meta = getattr(request, "META", {}) or {}
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        # Fewer entries than proxies, or garbage: nothing in the header can be trusted,
        # so the connection's address counts (never a 500 over a bad header).
        address = _clean(entries[-count]) if len(entries) >= count else None
        if address:
            return address
    remote = meta.get("REMOTE_ADDR", "")
    return _clean(remote) if remote else None
