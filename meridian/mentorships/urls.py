from __future__ import annotations

from django.urls import path

from meridian.mentorships import closing_urls, pair_urls, plan_urls
from meridian.mentorships.views import pages

app_name = "mentorships"

urlpatterns = [
    path("mentorships/", pages.mentorship_list, name="list"),
    *plan_urls.urlpatterns,
    *pair_urls.urlpatterns,
    *closing_urls.urlpatterns,
]
