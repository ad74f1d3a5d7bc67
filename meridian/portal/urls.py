from __future__ import annotations

from django.urls import path

from meridian.portal import pairs_page, views

app_name = "portal"

urlpatterns = [
    path("mentorships/<uuid:public_id>/", views.workspace, name="workspace"),
    path("programs/<uuid:public_id>/pairs/", pairs_page.program_pairs, name="program_pairs"),
    path("cohorts/<uuid:public_id>/pairs/", pairs_page.cohort_pairs, name="cohort_pairs"),
]
