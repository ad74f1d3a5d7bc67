from __future__ import annotations

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "meridian.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from meridian.mentorships.closing import mentorship_closing
        from meridian.scheduling.signals import cancel_upcoming_meetings

        mentorship_closing.connect(cancel_upcoming_meetings, dispatch_uid="scheduling-cancel-on-close")
