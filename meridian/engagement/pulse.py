"""The pulse survey: three questions to both sides at day 14, day 30 and then every 60
days. (Being written: ``plan`` is called by the reminders run.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter


def plan(*, now: dt.datetime) -> Counter[str]:
    """Open the pulses that fall due and notify their people."""
    return Counter()
