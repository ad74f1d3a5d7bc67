"""Accepting an invitation: sign in (or create the account, or choose the password of
the account an import made), then join."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core.errors import MeridianError, show_error
from meridian.programs import selectors, services
from meridian.programs.models import Invitation
from meridian.programs.signals import INVITATION_TOKEN_KEY


def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.user, token)
    context: dict[str, object] = {"invitation": invitation, "cohort": invitation.cohort}
    if not invitation.is_usable:
        return render(request, "programs/invitation.html", {**context, "unusable": True}, status=410)
    if request.user.is_authenticated and request.method == "POST":
        try:
            enrollment = services.invitation_accept(invitation=invitation, user=request.user)
        except MeridianError as error:
            show_error(request, error)
        else:
            messages.success(
                request, _("Welcome to %s! Complete your profile so matching knows you.") % enrollment.cohort
            )
            return redirect(
                reverse("profile") + "?next=" + reverse("programs:cohort", args=[enrollment.cohort.public_id])
            )
    account = User.objects.filter(email__iexact=invitation.email).first()
    has_account = account is not None
    if not request.user.is_authenticated and account and _may_choose_password(account):
        return _choose_password(request, invitation, account, context)
    if not request.user.is_authenticated and not has_account:
        # The token proves the address: allauth signs the person up with it verified, and
        # creating the account accepts the invitation (signals.accept_invitation_on_sign_up).
        get_adapter(request).stash_verified_email(request, invitation.email)
        request.session[INVITATION_TOKEN_KEY] = invitation.token
        after = reverse("profile") + "?next=" + reverse("programs:cohort", args=[invitation.cohort.public_id])
        context["signup_url"] = reverse("account_signup") + "?" + urlencode({"next": after})
    return render(request, "programs/invitation.html", {**context, "has_account": has_account})


ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _may_choose_password(account: User) -> bool:
    """People an import created have no password: the token proves their address, so they
    choose one here. Never someone with a password (they sign in), never staff."""
    return account.is_active and not account.is_staff and not account.has_usable_password()


def _choose_password(
    request: HttpRequest, invitation: Invitation, account: User, context: dict[str, object]
) -> HttpResponse:
    form = SetPasswordForm(account, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                # Accepting locks the invitation and marks the address verified; a token
                # used already fails here, before any password is set.
                enrollment = services.invitation_accept(invitation=invitation, user=account)
                form.save()
        except MeridianError as error:
            show_error(request, error)
        else:
            login(request, account, backend=ALLAUTH_BACKEND)
            messages.success(
                request, _("Welcome to %s! Complete your profile so matching knows you.") % enrollment.cohort
            )
            return redirect(
                reverse("profile") + "?next=" + reverse("programs:cohort", args=[enrollment.cohort.public_id])
            )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "programs/invitation.html",
        {**context, "password_form": form, "has_account": True},
        status=status,
    )
