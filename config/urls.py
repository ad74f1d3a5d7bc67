"""URL wiring: each app owns its URLs; this file only includes them."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from meridian.programs.views.home import home

# The admin has no sign-in of its own: it sends people to allauth's (second factor, rate
# limits, lock-outs), and answers 403 to a signed-in person who is not staff.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", home, name="home"),
    path("", include("meridian.core.urls")),
    path("", include("meridian.accounts.urls")),
    path("", include("meridian.programs.urls")),
    path("", include("meridian.mentorships.urls")),
    path("", include("meridian.matching.urls")),
    path("", include("meridian.scheduling.urls")),
    path("", include("meridian.messaging.urls")),
    path("", include("meridian.engagement.urls")),
    path("", include("meridian.api.page_urls")),
    path("", include("meridian.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("meridian.api.urls")),
    path("django-admin/", admin.site.urls),
]

# Under /api/ these answer JSON in the API's error shape; elsewhere, the site's pages.
handler404 = "meridian.api.errors.handler404"
handler500 = "meridian.api.errors.handler500"
