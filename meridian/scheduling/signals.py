"""What scheduling does when something below it changes: a closing mentorship cancels
its meetings still to come (mentorships announces it; it cannot call up the layers)."""

from __future__ import annotations

from typing import Any

from meridian.mentorships.models import Mentorship
from meridian.scheduling.services import meetings_cancel_for_closing


def cancel_upcoming_meetings(sender: Any, *, mentorship: Mentorship, user: Any, **kwargs: Any) -> None:
    meetings_cancel_for_closing(mentorship=mentorship, user=user)
