"""A person's own profile: the details matching needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from meridian.accounts.forms import ProfileForm
from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile


@login_required
def profile_edit(request: AuthedRequest) -> HttpResponse:
    profile, _created = Profile.objects.select_related("user", "manager").get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        target = request.POST.get("next") or request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": profile, "next": request.GET.get("next", "")},
    )
