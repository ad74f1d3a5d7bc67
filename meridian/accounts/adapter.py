"""How django-allauth behaves here: accounts come from invitations, imports or an
administrator, so sign-up is open only to someone holding a valid invitation; its emails
(password reset, address confirmation) go through the outbox like every other."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from meridian.accounts.clientip import client_ip
from meridian.core import outbox

INVITED_EMAIL_KEY = "account_verified_email"  # the key allauth's stash uses


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get(INVITED_EMAIL_KEY))

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data.get("name", "")
        user.time_zone = form.cleaned_data.get("time_zone") or "UTC"
        if commit:
            user.save()
        return user

    def get_client_ip(self, request: HttpRequest) -> str:
        """The same address django-axes sees (``TRUSTED_PROXY_COUNT``)."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth's per-"key" limit on failed sign-ins counts per email; anyone could
        then lock a person out by failing on their email. Count the address and the
        email together, as django-axes does."""
        return (
            f"{self.get_client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"
        )

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render now, send by a job: a mail server that is down cannot fail the page (the
        password reset page says the same whether or not the account exists)."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        outbox.queue(self.render_mail(template_prefix, email, ctx))

    def clean_email(self, email: str) -> str:
        email = str(super().clean_email(email)).lower()
        invited = self.request.session.get(INVITED_EMAIL_KEY) if self.request else None
        if invited and email != invited.lower():
            raise ValidationError(_("Use the address your invitation was sent to: %s") % invited)
        return email
