"""The outbox in the admin: seen, never written. Bodies can hold private data (notes,
reasons, reset links), so only who, what subject, and what became of it are shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from meridian.core.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("subject", "recipients", "status", "attempts", "created_at", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    fields = (
        "recipients",
        "subject",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    readonly_fields = fields
    search_fields = ("subject", "to")
    ordering = ("-created_at",)

    @admin.display(description="to")
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
