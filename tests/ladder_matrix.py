"""Builders for the access matrix's rows of a pair's pauses, its "still going" answer and
a program's ladder settings (tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from tests import pair_matrix as pm


def pause_data(w: SimpleNamespace) -> dict[str, Any]:
    """A week's pause starting in two days (valid whatever the zone of the one asking)."""
    start = timezone.localdate() + dt.timedelta(days=2)
    return {"starts_on": start.isoformat(), "ends_on": (start + dt.timedelta(days=7)).isoformat()}


def a_pause(w: SimpleNamespace, user: Any) -> str:
    """``/pauses/<the pair's pause>/end/``: a pause of the pair running since yesterday."""
    from meridian.engagement.models import Pause

    pair = pm.the_pair(w)
    today = timezone.localdate()
    found = Pause.objects.filter(mentorship=pair).first() or Pause.objects.create(
        mentorship=pair, starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=9)
    )
    return f"/pauses/{found.public_id}/end/"


def ladder_data(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "first_reminder_hours": "24",
        "second_reminder_hours": "1",
        "monthly_email_cap": "4",
        "pulse": "on",
        "nudges": "on",
        "last_nudge_days": "7",
        "alerts": "on",
        "alert_after_days": "10",
        "rematch_suggestions": "on",
        "rematch_unresponsive_days": "21",
        "closure_after_days": "120",
        "closure_notice_days": "7",
    }
