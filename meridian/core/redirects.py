"""Where to go after a form: the ``next`` the page carried, when it is safe."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_url(request: HttpRequest, target: str | None, default: str, *, under: str | None = None) -> str:
    """``target`` when it is a page of this site (and, given ``under``, that page or a
    query of it), else ``default``: never another host, never another scheme."""
    target = target or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not target or not allowed:
        return default
    if under is not None and target != under and not target.startswith(under + "?"):
        return default
    return target


def next_url(request: HttpRequest, default: str, *, under: str | None = None) -> str:
    """The request's ``next`` (posted, else in the query) when it is safe, else ``default``."""
    return safe_url(request, request.POST.get("next") or request.GET.get("next"), default, under=under)
