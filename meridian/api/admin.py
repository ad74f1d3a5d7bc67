"""API tokens in the admin: seen and revoked (deleted), never made or edited there, and
no key in sight: only its hash is stored, and the admin shows not even that."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meridian.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields
    search_fields = ("name", "prefix", "user__email", "user__name")
    list_select_related = ("user",)
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
