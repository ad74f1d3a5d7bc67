from __future__ import annotations

from django.urls import path

from meridian.messaging import views

app_name = "messaging"

urlpatterns = [
    path("mentorships/<uuid:public_id>/messages/", views.thread, name="thread"),
    path("mentorships/<uuid:public_id>/messages/new/", views.poll, name="poll"),
    path("messages/unread/", views.unread, name="unread"),
]
