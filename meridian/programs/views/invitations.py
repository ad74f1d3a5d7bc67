"""Accepting an invitation: sign in (or create the account), then join."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.programs import services
from meridian.programs.models import Invitation
from meridian.programs.signals import INVITATION_TOKEN_KEY


def invitation_detail(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("cohort__program", "invited_by").filter(token=token[:64]).first()
    )
    if invitation is None:
        raise Http404
    context: dict[str, object] = {"invitation": invitation, "cohort": invitation.cohort}
    if not invitation.is_usable:
        return render(request, "programs/invitation.html", {**context, "unusable": True}, status=410)
    if request.user.is_authenticated and request.method == "POST":
        try:
            enrollment = services.invitation_accept(invitation=invitation, user=request.user)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Welcome to %s! Complete your profile so matching knows you.") % enrollment.cohort
            )
            return redirect(
                reverse("profile") + "?next=" + reverse("programs:cohort", args=[enrollment.cohort.public_id])
            )
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if not request.user.is_authenticated and not has_account:
        # The token proves the address: allauth signs the person up with it verified, and
        # creating the account accepts the invitation (signals.accept_invitation_on_sign_up).
        get_adapter(request).stash_verified_email(request, invitation.email)
        request.session[INVITATION_TOKEN_KEY] = invitation.token
        after = reverse("profile") + "?next=" + reverse("programs:cohort", args=[invitation.cohort.public_id])
        context["signup_url"] = reverse("account_signup") + "?" + urlencode({"next": after})
    return render(request, "programs/invitation.html", {**context, "has_account": has_account})
