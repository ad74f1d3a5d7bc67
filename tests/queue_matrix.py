"""Builders for the access matrix's rows of the check-in queue (tests/test_access_matrix.py):
the world's pair at risk, with its item in P's queue."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any


def an_item(w: SimpleNamespace, user: Any) -> str:
    """The open queue item of the world's pair, at risk (made once per world)."""
    from django.utils import timezone

    from meridian.engagement.models import Health, QueueItem
    from meridian.mentorships.models import Mentorship
    from tests.test_access_matrix import a_mentorship

    pair = Mentorship.objects.get(public_id=a_mentorship(w, user))
    found = QueueItem.objects.filter(mentorship=pair, resolved_at=None).first()
    if found is not None:
        return str(found.public_id)
    today = timezone.localdate()
    Health.objects.get_or_create(
        mentorship=pair,
        defaults={
            "band": "at_risk",
            "score": 20,
            "band_since": today,
            "assessed_on": today,
            "reasons": ["Gap"],
        },
    )
    item = QueueItem.objects.create(
        mentorship=pair, kind="at_risk", reason="Gap", urgency=280, due_on=today - dt.timedelta(days=1)
    )
    return str(item.public_id)


def item_url(action: str) -> Any:
    return lambda w, u: f"/check-ins/{an_item(w, u)}/{action}/"


def queue_url(w: SimpleNamespace, user: Any) -> str:
    """P's queue, with the pair's item in it (so the page has a card to show)."""
    an_item(w, user)
    return f"/programs/{w.p.public_id}/check-ins/"


def log_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"channel": "call", "outcome": "reached", "note": "Both fine"}


def snooze_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"days": "7"}


def api_item_url(action: str) -> Any:
    return lambda w, u: f"/api/v1/check-ins/{an_item(w, u)}/{action}/"


def api_queue_url(w: SimpleNamespace, user: Any) -> str:
    an_item(w, user)
    return f"/api/v1/programs/{w.p.public_id}/check-ins/"


def api_health_url(w: SimpleNamespace, user: Any) -> str:
    """The pair's health, assessed (at risk)."""
    from meridian.engagement.models import QueueItem

    item = QueueItem.objects.select_related("mentorship").get(public_id=an_item(w, user))
    return f"/api/v1/mentorships/{item.mentorship.public_id}/health/"


# ---- observing a session: P's managers ask and withdraw, the pair answers


def a_request(w: SimpleNamespace, user: Any) -> str:
    """A manager's open request to observe the pair's booked session (made once per world)."""
    from meridian.engagement.models import ObservationRequest
    from meridian.scheduling.models import Meeting
    from tests.test_access_matrix import a_meeting

    found = ObservationRequest.objects.filter(
        meeting__mentorship__members__user=w.mentee, status="asked"
    ).first()
    if found is not None:
        return str(found.public_id)
    meeting = Meeting.objects.get(public_id=a_meeting(w, user))
    made = ObservationRequest.objects.create(meeting=meeting, requested_by=w.manager, why="To learn")
    return str(made.public_id)


def observation_url(action: str) -> Any:
    return lambda w, u: f"/observations/{a_request(w, u)}/{action}/"


def ask_url(w: SimpleNamespace, user: Any) -> str:
    from tests.test_access_matrix import a_meeting

    return f"/meetings/{a_meeting(w, user)}/observe/"


def ask_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"why": "To learn how pairs plan"}


def answer_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"answer": "yes"}
