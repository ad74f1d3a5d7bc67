from __future__ import annotations

from django.urls import path

from meridian.accounts import views

urlpatterns = [path("profile/", views.profile_edit, name="profile")]
