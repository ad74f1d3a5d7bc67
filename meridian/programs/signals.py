"""The invitation is accepted by creating the account: no second click to join."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core.errors import MeridianError, show_error
from meridian.programs import services
from meridian.programs.models import Invitation

INVITATION_TOKEN_KEY = "meridian_invitation_token"


@receiver(user_signed_up, dispatch_uid="programs-accept-invitation-on-sign-up")
def accept_invitation_on_sign_up(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Sign-up is open only from an invitation link (the adapter); the token that link
    carried is in the session, and the address it proves is the one just signed up with."""
    token = request.session.pop(INVITATION_TOKEN_KEY, None)
    invitation = Invitation.objects.filter(token=token).first() if token else None
    if invitation is None:
        return
    try:
        enrollment = services.invitation_accept(invitation=invitation, user=user)
    except MeridianError as error:
        show_error(request, error)
    else:
        messages.success(
            request, _("Welcome to %s! Complete your profile so matching knows you.") % enrollment.cohort
        )
