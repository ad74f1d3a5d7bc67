"""The API's token sign-in: ``Authorization: Token <key>`` (as before) or ``Bearer <key>``,
checked against our hashed, expiring, password-bound tokens (``tokens.token_for_key``)."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from meridian.api.tokens import token_for_key

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """First in the list, so that a refused or missing token answers 401 with a
    ``WWW-Authenticate`` challenge (DRF asks the first class for it)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # no token: the session may still sign the caller in
        if len(parts) != 2:
            raise AuthenticationFailed("Give one token after Token or Bearer.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("This token is not valid.") from None
        token = token_for_key(key)
        if token is None:
            raise AuthenticationFailed(
                "This token is unknown, has expired, was revoked, or your password changed since it was made."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
