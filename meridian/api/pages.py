"""A person's own API tokens page: the list, a new token (its key shown once), and
revoking one. Another person's token is 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import User
from meridian.api import selectors
from meridian.api.forms import TokenForm
from meridian.api.models import ApiToken, password_fingerprint
from meridian.api.tokens import token_create, token_revoke


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    state: str  # "active", "expired" or "password" (ended by a password change)


@login_required
@require_GET
def token_list(request: AuthedRequest) -> HttpResponse:
    return _page(request, TokenForm())


@login_required
@require_POST
def token_new(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    token, key = token_create(
        user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
    )
    response = _page(request, TokenForm(), new=token, key=key)
    response["Cache-Control"] = "no-store"  # the key is in this page, and only here
    return response


@login_required
@require_POST
def token_delete(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    token_revoke(token=selectors.get_token_for_user(request.user, public_id, write=True))
    messages.success(request, _("The token is revoked: programs that use it are refused from now on."))
    return redirect("api_tokens")


def _page(
    request: AuthedRequest, form: TokenForm, *, new: ApiToken | None = None, key: str = "", status: int = 200
) -> HttpResponse:
    context = {"form": form, "rows": token_rows(request.user), "new": new, "key": key}
    return render(request, "api/tokens.html", context, status=status)


def token_rows(user: User) -> list[TokenRow]:
    """``user``'s tokens, newest first, each with its state."""
    now, fingerprint = timezone.now(), password_fingerprint(user.password)
    return [
        TokenRow(
            token,
            "expired"
            if token.is_expired(now)
            else "active"
            if token.password_fingerprint == fingerprint
            else "password",
        )
        for token in ApiToken.objects.filter(user=user)
    ]
