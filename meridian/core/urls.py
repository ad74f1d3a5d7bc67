from __future__ import annotations

from django.urls import path

from meridian.core import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
