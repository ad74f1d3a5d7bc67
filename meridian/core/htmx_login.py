"""Send an htmx request that lost its session to the sign-in page as a whole page.

Without this, htmx follows the redirect to the login page and swaps the whole login page
into the form that was posted. ``HX-Redirect`` makes the browser load the page instead.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url


def htmx_redirect(url: str) -> HttpResponse:
    """A response that makes htmx load ``url`` as a whole page."""
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def _back_to(request: HttpRequest) -> str:
    """The page the person was on (htmx sends it), else the requested path when it is a GET."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path.startswith("/") and (not current.netloc or current.netloc == request.get_host()):
        return current.path + (f"?{current.query}" if current.query else "")
    return request.get_full_path() if request.method == "GET" else "/"


class HtmxLoginRedirectMiddleware:
    """Turn a redirect to sign in, answered to an htmx request, into ``HX-Redirect``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code not in (301, 302, 303, 307, 308):
            return response
        login = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login:
            return response
        return htmx_redirect(f"{login}?{urlencode({'next': _back_to(request)})}")
