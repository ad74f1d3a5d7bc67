"""Sign program managers and administrators out after SESSION_IDLE_TIMEOUT seconds without
a request; participants keep the long session (SESSION_COOKIE_AGE).

The session carries the last activity and whether the timeout applies, both written at
sign-in, so an ordinary request costs no query and no session write: the stamp (and the
role, which may change) is refreshed at most once a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meridian.core.htmx_login import htmx_redirect
from meridian.core.permissions import is_admin

LAST_ACTIVITY = "meridian_last_activity"
TIMES_OUT = "meridian_idle_timeout"
REFRESH_SECONDS = 60


def times_out(user: Any) -> bool:
    """Whether ``user`` gets the short idle timeout: administrators and program managers."""
    if is_admin(user) or user.is_superuser:
        return True
    return bool(apps.get_model("programs", "Program").objects.filter(managers=user).exists())


def stamp(request: HttpRequest, user: Any) -> None:
    request.session[LAST_ACTIVITY] = int(timezone.now().timestamp())
    request.session[TIMES_OUT] = times_out(user)


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (connected in CoreConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        stamp(request, user)


def idle_span(seconds: int) -> str:
    """'4 hours', '1 hour', '30 minutes': the timeout in words."""
    hours, rest = divmod(seconds, 3600)
    if hours and not rest:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, round(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_out = self._check(request)
            if signed_out is not None:
                return signed_out
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        now = int(timezone.now().timestamp())
        last = request.session.get(LAST_ACTIVITY)
        if not isinstance(last, int):  # a session from before this middleware
            stamp(request, request.user)
            return None
        timeout = int(settings.SESSION_IDLE_TIMEOUT)
        if request.session.get(TIMES_OUT) and now - last > timeout:
            return self._sign_out(request, timeout)
        if now - last >= REFRESH_SECONDS:
            stamp(request, request.user)
        return None

    def _sign_out(self, request: HttpRequest, timeout: int) -> HttpResponse | None:
        logout(request)
        messages.info(
            request, _("You were signed out after %(span)s without activity.") % {"span": idle_span(timeout)}
        )
        if request.path_info.startswith("/api/"):
            return None  # the API answers an anonymous request in its own error shape
        login = resolve_url(settings.LOGIN_URL)
        if getattr(request, "htmx", False):
            return htmx_redirect(login)
        target = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{login}?{urlencode({'next': target})}")
