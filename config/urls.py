"""URL wiring: each app owns its URLs; this file only includes them."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from meridian.programs.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("meridian.core.urls")),
    path("", include("meridian.accounts.urls")),
    path("", include("meridian.programs.urls")),
    path("", include("meridian.mentorships.urls")),
    path("", include("meridian.matching.urls")),
    path("", include("meridian.scheduling.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("meridian.api.urls")),
    path("django-admin/", admin.site.urls),
]
