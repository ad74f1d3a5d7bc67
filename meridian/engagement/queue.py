"""The manager's check-in queue. (Being written: ``refresh`` is called by the sweep;
``open_item`` is how anything puts a pair in the queue.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from meridian.engagement.models import QueueItem
from meridian.mentorships.models import Mentorship


def open_item(*, mentorship: Mentorship, kind: str, reason: str, urgency: int, due_on: dt.date) -> QueueItem:
    """The open item of ``kind`` for the pair, opened now if there is none."""
    item, _created = QueueItem.objects.get_or_create(
        mentorship=mentorship,
        kind=kind,
        resolved_at=None,
        defaults={"reason": reason, "urgency": urgency, "due_on": due_on},
    )
    return item


def refresh(*, today: dt.date) -> Counter[str]:
    """Open, update and close the queue's items from the stored health of every pair."""
    return Counter()
