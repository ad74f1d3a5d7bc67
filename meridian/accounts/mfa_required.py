"""Two-factor a program can rely on: with ``MFA_REQUIRED_FOR_STAFF`` on, administrators
and program managers without an authenticator app or a security key are sent to set one
up before anything else. Only the two-factor pages, re-authentication, sign-out and
static files stay open to them; the API (their session) answers a JSON 403 until then.
Token-authenticated API calls do not pass through here as a signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

# The pages a person without two-factor may still reach (besides every ``mfa_*`` page).
OPEN_URL_NAMES = frozenset({"account_logout", "account_reauthenticate", "account_login", "healthz"})
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def must_use_mfa(user: object) -> bool:
    """An administrator or a program manager, under the organisation's rule."""
    if not getattr(settings, "MFA_REQUIRED_FOR_STAFF", False):
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff", False) or user.managed_programs.exists())  # type: ignore[attr-defined]


def has_mfa(user: object) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=MFA_TYPES).exists())


def _is_open(request: HttpRequest) -> bool:
    path = request.path_info
    if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # the 404 page
    name = match.view_name  # namespaced: the admin's "admin:mfa_…" pages are not open
    return name.startswith("mfa_") or name in OPEN_URL_NAMES


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_open(request) or not must_use_mfa(request.user) or has_mfa(request.user):
            return self.get_response(request)
        message = _(
            "Your organisation asks administrators and program managers to use "
            "two-factor authentication. Set up an authenticator app or a security key to continue."
        )
        if request.path_info.startswith("/api/"):
            error = {"code": "mfa_required", "message": message, "fields": {}}
            return JsonResponse({"error": error}, status=403)
        setup = reverse("mfa_index")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = setup
            return response
        messages.warning(request, message)
        return HttpResponseRedirect(setup)
