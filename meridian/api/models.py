"""Personal API tokens: a person's keys to the API, which they name, see, revoke and
which expire. Only a hash of each key is stored (and a short prefix to recognise it);
a fingerprint of the owner's password hash ties every token to the password it was
made under, so any password change or reset ends them all at once."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _


class Lifetime(models.IntegerChoices):
    """How long a token lives, in days: there is no token that never expires."""

    MONTH = 30, _("30 days")
    QUARTER = 90, _("90 days")
    YEAR = 365, _("1 year")


def password_fingerprint(password_hash: str) -> str:
    """A keyed digest of a stored password hash: it changes whenever the password does
    (set_password, allauth's change and reset pages, the admin), and reveals nothing of it."""
    return salted_hmac("meridian.api.token-password", password_hash, algorithm="sha256").hexdigest()


class ApiToken(models.Model):
    """One personal API token. ``key_hash`` is the SHA-256 of the key: the key itself
    is shown once, when it is made, and is never stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def outlived_password(self) -> bool:
        """Whether the owner's password changed since the token was made (it is then dead)."""
        return not constant_time_compare(self.password_fingerprint, password_fingerprint(self.user.password))
