"""The escalation ladder: nudges to the pair, alerts to the managers, a re-matching
suggestion, a proposed closure. (Being written: ``advance`` is called by the sweep.)"""

from __future__ import annotations

import datetime as dt
from collections import Counter


def advance(*, today: dt.date) -> Counter[str]:
    """Take the steps that are due for every relationship, from its stored health."""
    return Counter()
