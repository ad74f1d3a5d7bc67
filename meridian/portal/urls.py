from __future__ import annotations

from django.urls import path

from meridian.portal import views

app_name = "portal"

urlpatterns = [
    path("mentorships/<uuid:public_id>/", views.workspace, name="workspace"),
]
