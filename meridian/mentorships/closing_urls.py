"""Addresses of closing a mentorship, a later reflection and a request to be matched
again (included in ``mentorships.urls``)."""

from __future__ import annotations

from django.urls import path

from meridian.mentorships.views import closing

urlpatterns = [
    path("mentorships/<uuid:public_id>/close/", closing.close_page, name="close"),
    path("mentorships/<uuid:public_id>/close/reflection/", closing.reflection_add, name="reflect"),
    path("mentorships/<uuid:public_id>/close/rematch/", closing.rematch_ask, name="rematch_ask"),
]
