"""Version 1 of the API: objects are addressed by their public UUID (``id``)."""

from __future__ import annotations

from django.urls import path

from meridian.api.v1 import (
    accounts,
    agreements,
    availability,
    checkins,
    closing,
    files,
    goals,
    health,
    matching,
    meetings,
    messages,
    pauses,
    programs,
    pulse,
)

app_name = "v1"

# <uuid:...>: a malformed id matches no address, and handler404 answers it in the API's error shape.
urlpatterns = [
    path("me/", accounts.MeDetail.as_view(), name="me"),
    path("me/availability/", availability.MyAvailability.as_view(), name="me-availability"),
    path("me/pulses/", pulse.MyPulses.as_view(), name="me-pulses"),
    path("pulses/<uuid:public_id>/", pulse.PulseAnswer.as_view(), name="pulse-answer"),
    path("programs/", programs.ProgramList.as_view(), name="program-list"),
    path("programs/<uuid:public_id>/", programs.ProgramDetail.as_view(), name="program-detail"),
    path("cohorts/", programs.CohortList.as_view(), name="cohort-list"),
    path("cohorts/<uuid:public_id>/", programs.CohortDetail.as_view(), name="cohort-detail"),
    path("enrollments/", programs.EnrollmentList.as_view(), name="enrollment-list"),
    path("enrollments/<uuid:public_id>/", programs.EnrollmentDetail.as_view(), name="enrollment-detail"),
    path("mentorships/", matching.MentorshipList.as_view(), name="mentorship-list"),
    path("mentorships/<uuid:public_id>/", matching.MentorshipDetail.as_view(), name="mentorship-detail"),
    path("mentorships/<uuid:public_id>/slots/", meetings.MentorshipSlots.as_view(), name="mentorship-slots"),
    path(
        "mentorships/<uuid:public_id>/meetings/",
        meetings.MentorshipPropose.as_view(),
        name="mentorship-propose",
    ),
    path(
        "mentorships/<uuid:public_id>/messages/",
        messages.MentorshipMessages.as_view(),
        name="mentorship-messages",
    ),
    path("mentorships/<uuid:public_id>/goals/", goals.MentorshipGoals.as_view(), name="mentorship-goals"),
    path("goals/<uuid:public_id>/", goals.GoalDetail.as_view(), name="goal-detail"),
    path("mentorships/<uuid:public_id>/files/", files.MentorshipFiles.as_view(), name="mentorship-files"),
    path("files/<uuid:public_id>/", files.FileDownload.as_view(), name="file-download"),
    path(
        "mentorships/<uuid:public_id>/agreement/",
        agreements.MentorshipAgreement.as_view(),
        name="mentorship-agreement",
    ),
    path(
        "mentorships/<uuid:public_id>/agreement/accept/",
        agreements.MentorshipAgreementAccept.as_view(),
        name="mentorship-agreement-accept",
    ),
    path(
        "mentorships/<uuid:public_id>/checkins/",
        checkins.MentorshipCheckIns.as_view(),
        name="mentorship-checkins",
    ),
    path(
        "mentorships/<uuid:public_id>/report-unresponsive/",
        checkins.MentorshipReportUnresponsive.as_view(),
        name="mentorship-report-unresponsive",
    ),
    path("mentorships/<uuid:public_id>/close/", closing.MentorshipClose.as_view(), name="mentorship-close"),
    path("mentorships/<uuid:public_id>/health/", health.MentorshipHealth.as_view(), name="mentorship-health"),
    path("programs/<uuid:public_id>/check-ins/", health.ProgramCheckIns.as_view(), name="program-checkins"),
    path("check-ins/<uuid:public_id>/contacts/", health.CheckInContact.as_view(), name="checkin-contact"),
    path("check-ins/<uuid:public_id>/snooze/", health.CheckInSnooze.as_view(), name="checkin-snooze"),
    path("check-ins/<uuid:public_id>/resolve/", health.CheckInResolve.as_view(), name="checkin-resolve"),
    path("mentorships/<uuid:public_id>/pauses/", pauses.MentorshipPauses.as_view(), name="mentorship-pauses"),
    path("pauses/<uuid:public_id>/end/", pauses.PauseEnd.as_view(), name="pause-end"),
    path("meetings/", meetings.MeetingList.as_view(), name="meeting-list"),
    path("meetings/<uuid:public_id>/", meetings.MeetingDetail.as_view(), name="meeting-detail"),
    path("meetings/<uuid:public_id>/accept/", meetings.MeetingAccept.as_view(), name="meeting-accept"),
    path("meetings/<uuid:public_id>/decline/", meetings.MeetingDecline.as_view(), name="meeting-decline"),
    path("meetings/<uuid:public_id>/move/", meetings.MeetingMove.as_view(), name="meeting-move"),
    path("meetings/<uuid:public_id>/cancel/", meetings.MeetingCancel.as_view(), name="meeting-cancel"),
    path("meetings/<uuid:public_id>/outcome/", meetings.MeetingOutcome.as_view(), name="meeting-outcome"),
    path("match-runs/", matching.RunList.as_view(), name="run-list"),
    path("match-runs/<uuid:public_id>/", matching.RunDetail.as_view(), name="run-detail"),
    path("match-runs/<uuid:public_id>/pairs/", matching.RunPairs.as_view(), name="run-pairs"),
    path("match-runs/<uuid:public_id>/publish/", matching.RunPublish.as_view(), name="run-publish"),
]
