"""The API tokens pages, under the person's account (included from ``config.urls``)."""

from __future__ import annotations

from django.urls import path

from meridian.api import pages

urlpatterns = [
    path("account/tokens/", pages.token_list, name="api_tokens"),
    path("account/tokens/new/", pages.token_new, name="api_token_new"),
    path("account/tokens/<uuid:public_id>/revoke/", pages.token_delete, name="api_token_revoke"),
]
