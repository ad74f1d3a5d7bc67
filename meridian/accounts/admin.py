from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from meridian.accounts.models import Profile, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    ordering = ("name",)
    list_display = ("email", "name", "time_zone", "is_staff", "can_create_programs", "is_active")
    search_fields = ("email", "name")
    list_filter = ("is_staff", "can_create_programs", "is_active")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("name", "time_zone")}),
        ("Roles", {"fields": ("is_active", "is_staff", "is_superuser", "can_create_programs")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "title", "department", "seniority")
    search_fields = ("user__name", "user__email", "external_id")
    raw_id_fields = ("user", "manager")
