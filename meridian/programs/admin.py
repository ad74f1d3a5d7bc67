from __future__ import annotations

from django.contrib import admin

from meridian.programs.models import Cohort, Enrollment, Invitation, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "matching_mode", "starts_on", "ends_on")
    filter_horizontal = ("managers",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "program", "status", "starts_on")
    list_filter = ("status",)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "cohort", "role", "status")
    list_filter = ("role", "status")
    raw_id_fields = ("user", "cohort", "decided_by", "excluded")
    search_fields = ("user__name", "user__email")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("email", "cohort", "role", "accepted_at", "expires_at")
    exclude = ("token",)
