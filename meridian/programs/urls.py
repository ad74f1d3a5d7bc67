from __future__ import annotations

from django.urls import path

from meridian.programs.views import applications, cohorts, enrollments, importing, invitations, programs

app_name = "programs"

urlpatterns = [
    path("programs/", programs.program_list, name="list"),
    path("programs/new/", programs.program_create, name="create"),
    path("programs/<uuid:public_id>/", programs.program_detail, name="detail"),
    path("programs/<uuid:public_id>/edit/", programs.program_edit, name="edit"),
    path("programs/<uuid:public_id>/cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("programs/<uuid:public_id>/people/", enrollments.enrollment_table, name="enrollments"),
    path("programs/<uuid:public_id>/people/decide/", applications.applications_decide, name="decide_several"),
    path("programs/<uuid:public_id>/people.<str:fmt>", importing.export_participants, name="export"),
    path("cohorts/<uuid:public_id>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<uuid:public_id>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<uuid:public_id>/apply/", cohorts.cohort_apply, name="apply"),
    path("cohorts/<uuid:public_id>/invite/", cohorts.cohort_invite, name="invite"),
    path("cohorts/<uuid:public_id>/import/", importing.import_upload, name="import"),
    path("imports/<uuid:public_id>/", importing.import_preview, name="import_preview"),
    path("imports/<uuid:public_id>/progress/", importing.import_progress, name="import_progress"),
    path("imports/<uuid:public_id>/invite/", importing.import_invite, name="import_invite"),
    path("enrollments/<uuid:public_id>/", applications.application_detail, name="application"),
    path("enrollments/<uuid:public_id>/decide/", enrollments.enrollment_decide, name="decide"),
    path("enrollments/<uuid:public_id>/withdraw/", enrollments.enrollment_withdraw, name="withdraw"),
    path("invitations/<str:token>/", invitations.invitation_detail, name="invitation"),
]
