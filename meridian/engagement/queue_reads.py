"""What the check-in queue's page reads: its items in sections by kind, the most urgent
kinds first, each section with its count and its first ``PER_PAGE`` cards ("show more"
brings the next page). A fixed number of queries whatever the size of the queue: the
counts (one), the pairs due today (one), the cards (one, ranked within each kind by a
window function, and two prefetches)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from meridian.engagement import selectors
from meridian.engagement.models import QueueItem, QueueKind
from meridian.engagement.queue_digest import shown
from meridian.programs.models import Program

PER_PAGE = 20
# The sections, the most urgent kinds first: pairs at risk, then the ladder's decisions
# with a date (a closure proposed closes after its notice), then its suggestions, then the
# pairs that need a check-in, and the regular check-ins last.
SECTIONS: tuple[tuple[str, Any], ...] = (
    (QueueKind.AT_RISK, _("At risk")),
    (QueueKind.CLOSURE, _("Closure proposed")),
    (QueueKind.REMATCH, _("Re-matching suggested")),
    (QueueKind.HEALTH, _("Needs a check-in")),
    (QueueKind.STANDING, _("Regular check-ins")),
)
ORDER = (F("urgency").desc(), F("due_on").asc(), F("id").asc())


@dataclass
class Section:
    kind: str
    title: Any
    count: int  # the section's items, every page
    due: int  # of them, due today (the rest are regular check-ins coming up)
    items: list[QueueItem] = field(default_factory=list)  # this page's
    shown: int = 0  # the items on this page and those before it

    @property
    def more(self) -> int:
        return self.count - self.shown

    @property
    def next_count(self) -> int:
        return min(self.more, PER_PAGE)

    @property
    def next_page(self) -> int:
        return self.shown // PER_PAGE + 1


@dataclass
class QueuePage:
    sections: list[Section]
    due_pairs: int  # the pairs with something due today

    @property
    def health_items(self) -> int:
        return sum(s.count for s in self.sections if s.kind != QueueKind.STANDING)


def _rows(program: Program, today: dt.date) -> QuerySet[QueueItem]:
    return QueueItem.objects.filter(
        shown(today), mentorship__program=program, mentorship__status__in=("active", "paused")
    )


def queue_page(program: Program, today: dt.date, *, kind: str = "", page: int = 1) -> QueuePage:
    """Every section with its first page of cards, the ``kind`` section with ``page`` pages
    (a link followed without htmx)."""
    rows = _rows(program, today)
    counts = {
        k: (n, due)
        for k, n, due in rows.order_by()
        .values("kind")
        .annotate(n=Count("id"), due=Count("id", filter=Q(due_on__lte=today)))
        .values_list("kind", "n", "due")
    }
    due_pairs = rows.filter(due_on__lte=today).values("mentorship").distinct().count()
    if not counts:
        return QueuePage([], due_pairs)
    most = max(page, 1) * PER_PAGE if kind in counts else PER_PAGE
    ranked = (
        selectors._queue_rows()
        .filter(pk__in=rows.values("pk"))
        .annotate(rank=Window(RowNumber(), partition_by=[F("kind")], order_by=ORDER))
        .filter(rank__lte=most)
        .order_by(*ORDER)
    )
    by_kind: dict[str, list[QueueItem]] = {}
    for item in ranked:
        by_kind.setdefault(item.kind, []).append(item)
    sections = []
    for code, title in SECTIONS:
        if code not in counts:
            continue
        items = by_kind.get(code, [])[: most if code == kind else PER_PAGE]
        n, due = counts[code]
        sections.append(Section(code, title, n, due, items, len(items)))
    return QueuePage(sections, due_pairs)


def section_page(program: Program, today: dt.date, kind: str, page: int) -> Section:
    """One page of one section (htmx's "show more"): its cards after those shown."""
    rows = _rows(program, today).filter(kind=kind)
    count = rows.count()
    start = (max(page, 1) - 1) * PER_PAGE
    items = list(
        selectors._queue_rows().filter(pk__in=rows.values("pk")).order_by(*ORDER)[start : start + PER_PAGE]
    )
    title = dict(SECTIONS).get(kind, "")
    return Section(kind, title, count, 0, items, start + len(items))
