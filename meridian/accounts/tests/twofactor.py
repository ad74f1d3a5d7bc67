"""Helpers for the sign-in tests: a person who can sign in through the form, with an
authenticator app turned on, and the code the app would show (RFC 6238, computed here
rather than asked of allauth)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import UserFactory


def totp_code(secret: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def person(**fields: Any) -> Any:
    """A user with a verified address (verification is mandatory to sign in)."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def with_totp(user: Any) -> str:
    """Turn the authenticator app on for ``user``; returns its secret."""
    secret = str(generate_totp_secret())
    TOTP.activate(user, secret)
    return secret
