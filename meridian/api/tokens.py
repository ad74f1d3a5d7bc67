"""Personal API tokens: make one (the key is returned once), find the live token a key
belongs to, revoke one. See ``models.ApiToken`` for what is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db.models import Q
from django.utils import timezone

from meridian.accounts.models import User
from meridian.api.models import ApiToken, Lifetime, password_fingerprint

KEY_START = "mrd_"  # says what the key is when it turns up in a log or a repository
PREFIX_CHARS = 8  # of the random part, shown to recognise a token
USED_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often
MAX_KEY_LENGTH = 100  # a longer Authorization header is not one of our keys


def key_hash(key: str) -> str:
    """SHA-256 of the key: right for a random 256-bit secret (nothing to brute-force),
    and one indexed lookup per request."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, days: int = Lifetime.QUARTER) -> tuple[ApiToken, str]:
    """A new token for ``user`` living ``days`` days (one of ``Lifetime``); returns it
    with its key, which is not stored and cannot be shown again."""
    if days not in Lifetime.values:
        raise ValueError(f"A token lives {Lifetime.values} days, not {days}.")
    key = KEY_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: len(KEY_START) + PREFIX_CHARS],
        key_hash=key_hash(key),
        password_fingerprint=password_fingerprint(user.password),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, key


def token_for_key(key: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token ``key`` belongs to, its use recorded; ``None`` when the key is
    unknown, revoked, expired, made before the owner's last password change, or its
    owner is inactive."""
    if not key.startswith(KEY_START) or len(key) > MAX_KEY_LENGTH:
        return None
    token = ApiToken.objects.filter(key_hash=key_hash(key)).select_related("user").first()
    now = now or timezone.now()
    if token is None or token.is_expired(now) or token.outlived_password() or not token.user.is_active:
        return None
    _mark_used(token, now)
    return token


def token_revoke(*, token: ApiToken) -> None:
    """Delete the token (its owner's choice, read through ``selectors.get_token_for_user``)."""
    ApiToken.objects.filter(pk=token.pk).delete()


def _mark_used(token: ApiToken, now: dt.datetime) -> None:
    """One conditional UPDATE, at most once a minute: a script may call many times a second."""
    if token.last_used_at is None or token.last_used_at <= now - USED_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USED_EVERY)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
