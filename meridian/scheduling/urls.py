from __future__ import annotations

from django.urls import path

from meridian.scheduling.views import feed, guide, meetings, notes, precall

app_name = "scheduling"

urlpatterns = [
    path("meetings/check/", precall.precall_check, name="precall"),
    path("meetings/check/probe/", precall.precall_probe, name="precall_probe"),
    path("mentorships/<uuid:public_id>/meetings/", meetings.schedule, name="schedule"),
    path("mentorships/<uuid:public_id>/meetings/propose/", meetings.propose, name="propose"),
    path("meetings/<uuid:public_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<uuid:public_id>/accept/", meetings.accept, name="accept"),
    path("meetings/<uuid:public_id>/decline/", meetings.decline, name="decline"),
    path("meetings/<uuid:public_id>/move/", meetings.move, name="move"),
    path("meetings/<uuid:public_id>/cancel/", meetings.cancel, name="cancel"),
    path("meetings/<uuid:public_id>/outcome/", meetings.outcome, name="outcome"),
    path("meetings/<uuid:public_id>/consent/", meetings.consent, name="consent"),
    path("meetings/<uuid:public_id>/notes/<str:field>/", notes.save_text, name="save_text"),
    path("meetings/<uuid:public_id>/private-note/", notes.private_note, name="private_note"),
    path("meetings/<uuid:public_id>/actions/", notes.add_action, name="add_action"),
    path("actions/<uuid:public_id>/done/", notes.action_done, name="action_done"),
    path("actions/<uuid:public_id>/delete/", notes.action_delete, name="action_delete"),
    path("programs/<uuid:public_id>/guide/", guide.guide, name="guide"),
    path("calendar/feed/", feed.feed_page, name="feed"),
    path("calendar/feed/new/", feed.feed_new, name="feed_new"),
    path("calendar/feed/off/", feed.feed_off, name="feed_off"),
    path("calendar/<str:token>.ics", feed.feed_ics, name="feed_ics"),
]
