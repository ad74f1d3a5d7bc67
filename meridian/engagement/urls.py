from __future__ import annotations

from django.urls import path

from meridian.engagement import views

app_name = "engagement"

urlpatterns = [
    path("r/<str:token>/", views.answer, name="answer"),
]
