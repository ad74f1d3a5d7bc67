"""Addresses of the pair's rules of engagement, check-ins and unresponsive reports, and of
a program's agreement template (included in ``mentorships.urls``)."""

from __future__ import annotations

from django.urls import path

from meridian.mentorships.views import agreement, checkins

urlpatterns = [
    path("mentorships/<uuid:public_id>/agreement/", agreement.agreement_page, name="agreement"),
    path(
        "mentorships/<uuid:public_id>/agreement/propose/",
        agreement.agreement_propose,
        name="agreement_propose",
    ),
    path(
        "mentorships/<uuid:public_id>/agreement/accept/", agreement.agreement_accept, name="agreement_accept"
    ),
    path("mentorships/<uuid:public_id>/checkins/", checkins.checkin_create, name="checkin"),
    path("mentorships/<uuid:public_id>/report-unresponsive/", checkins.report_create, name="report"),
    path(
        "programs/<uuid:public_id>/agreement-template/",
        agreement.agreement_template,
        name="agreement_template",
    ),
]
