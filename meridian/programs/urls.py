from __future__ import annotations

from django.urls import path

from meridian.programs.views import applications, cohorts, enrollments, importing, invitations, programs

app_name = "programs"

urlpatterns = [
    path("programs/", programs.program_list, name="list"),
    path("programs/new/", programs.program_create, name="create"),
    path("programs/<str:public_id>/", programs.program_detail, name="detail"),
    path("programs/<str:public_id>/edit/", programs.program_edit, name="edit"),
    path("programs/<str:public_id>/cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("programs/<str:public_id>/people/", enrollments.enrollment_table, name="enrollments"),
    path("programs/<str:public_id>/people/decide/", applications.applications_decide, name="decide_several"),
    path("programs/<str:public_id>/people.<str:fmt>", importing.export_participants, name="export"),
    path("cohorts/<str:public_id>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<str:public_id>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<str:public_id>/apply/", cohorts.cohort_apply, name="apply"),
    path("cohorts/<str:public_id>/invite/", cohorts.cohort_invite, name="invite"),
    path("cohorts/<str:public_id>/import/", importing.import_upload, name="import"),
    path("imports/<str:public_id>/", importing.import_preview, name="import_preview"),
    path("imports/<str:public_id>/progress/", importing.import_progress, name="import_progress"),
    path("imports/<str:public_id>/invite/", importing.import_invite, name="import_invite"),
    path("enrollments/<str:public_id>/", applications.application_detail, name="application"),
    path("enrollments/<str:public_id>/decide/", enrollments.enrollment_decide, name="decide"),
    path("enrollments/<str:public_id>/withdraw/", enrollments.enrollment_withdraw, name="withdraw"),
    path("invitations/<str:token>/", invitations.invitation_detail, name="invitation"),
]
