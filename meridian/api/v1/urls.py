"""Version 1 of the API: objects are addressed by their public UUID (``id``)."""

from __future__ import annotations

from django.urls import path

from meridian.api.v1 import accounts, programs

app_name = "v1"

# <str:...>, not <uuid:...>: a malformed id then answers 404 in the API's error shape.
urlpatterns = [
    path("me/", accounts.MeDetail.as_view(), name="me"),
    path("programs/", programs.ProgramList.as_view(), name="program-list"),
    path("programs/<str:public_id>/", programs.ProgramDetail.as_view(), name="program-detail"),
    path("cohorts/", programs.CohortList.as_view(), name="cohort-list"),
    path("cohorts/<str:public_id>/", programs.CohortDetail.as_view(), name="cohort-detail"),
    path("enrollments/", programs.EnrollmentList.as_view(), name="enrollment-list"),
    path("enrollments/<str:public_id>/", programs.EnrollmentDetail.as_view(), name="enrollment-detail"),
]
