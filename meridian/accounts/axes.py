"""django-axes keys lock-outs by the email the person typed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    credentials = credentials or {}
    for key in ("email", "login", "username"):
        if credentials.get(key):
            return str(credentials[key]).lower()
    if request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("email")
        return value.lower() if value else None
    return None
