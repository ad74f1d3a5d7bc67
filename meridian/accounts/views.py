"""A person's own profile: the details matching needs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from meridian.accounts.forms import DEFAULT_WORKING_HOURS, ProfileForm
from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import Profile
from meridian.accounts.weekgrid_display import week_grid
from meridian.core.redirects import next_url
from meridian.core.timezones import zone_names


@login_required
def profile_edit(request: AuthedRequest) -> HttpResponse:
    if request.htmx and request.GET.get("grid") in ProfileForm.WEEK_FIELDS:
        return _week_grid(request, request.GET["grid"])
    profile, _created = Profile.objects.select_related("user", "manager").get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect(next_url(request, reverse("profile")))
    context = {
        "form": form,
        "profile": profile,
        "grids": form.week_grids(),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/profile.html", context)


def _week_grid(request: AuthedRequest, field: str) -> HttpResponse:
    """The grid redrawn from the text being typed (nothing is saved)."""
    zone = request.GET.get("time_zone", "")
    default = DEFAULT_WORKING_HOURS if field == "working_hours" else ""
    grid = week_grid(
        field=field,
        text=request.GET.get(field, ""),
        zone=zone if zone in zone_names() else request.user.time_zone,
        default=default,
    )
    return render(request, "accounts/_week_grid.html", {"grid": grid})
