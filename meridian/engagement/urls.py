from __future__ import annotations

from django.urls import path

from meridian.engagement import (
    views,
    views_ladder,
    views_observe,
    views_pause,
    views_preferences,
    views_pulse,
    views_queue,
)

app_name = "engagement"

urlpatterns = [
    path("r/<str:token>/", views.answer, name="answer"),
    path("mentorships/<uuid:public_id>/pauses/", views_pause.pause_create, name="pause_create"),
    path("pauses/<uuid:public_id>/end/", views_pause.pause_end, name="pause_end"),
    path("mentorships/<uuid:public_id>/still-going/", views_pause.still_going, name="still_going"),
    path("programs/<uuid:public_id>/ladder/", views_ladder.ladder_settings, name="ladder_settings"),
    path("programs/<uuid:public_id>/check-ins/", views_queue.queue, name="queue"),
    path("check-ins/<uuid:public_id>/log/", views_queue.queue_log, name="queue_log"),
    path("check-ins/<uuid:public_id>/snooze/", views_queue.queue_snooze, name="queue_snooze"),
    path("check-ins/<uuid:public_id>/resolve/", views_queue.queue_resolve, name="queue_resolve"),
    path("meetings/<uuid:public_id>/observe/", views_observe.observe_ask, name="observe_ask"),
    path("observations/<uuid:public_id>/answer/", views_observe.observe_answer, name="observe_answer"),
    path("observations/<uuid:public_id>/withdraw/", views_observe.observe_withdraw, name="observe_withdraw"),
    path("profile/reminders/", views_preferences.email_preference, name="email_preference"),
    path("pulses/<uuid:public_id>/", views_pulse.pulse_answer, name="pulse_answer"),
]
