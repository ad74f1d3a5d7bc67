"""The health sweep: every current relationship assessed, its standing kept, then the
escalation ladder and the manager's queue brought up to date.

``sweep(today)`` works in chunks of ``history.CHUNK`` relationships: their histories in a
fixed number of queries, ``health.assess`` then ``health.settle`` against the stored
standing, and the Health rows (and a HealthChange for each band change, a first
assessment that needs a check-in or is at risk included) written in bulk, one
transaction per chunk. A relationship already assessed on ``today`` (or later) is left
as it is, so a sweep killed halfway is finished by the next run and a second sweep the
same day changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction

from meridian.engagement import history, ladder, queue
from meridian.engagement.health import Band as BandCode
from meridian.engagement.health import Standing, assess, last_activity, settle
from meridian.engagement.models import Band, Health, HealthChange
from meridian.mentorships.models import Mentorship

WORSE = {Band.TOO_EARLY: 0, Band.ON_TRACK: 0, Band.CHECK_IN: 1, Band.AT_RISK: 2}
BATCH = 1000
FIELDS = [
    "score",
    "band",
    "band_since",
    "good_sweeps",
    "reasons",
    "signals",
    "last_activity_at",
    "assessed_on",
]


@dataclass
class SweepReport:
    count: int = 0  # relationships assessed by this run
    bands: Counter[str] = field(default_factory=Counter)  # their bands after it
    changed: int = 0  # band changes written
    queries: int = 0  # the queries the health part took (histories and writes)
    ladder: Counter[str] = field(default_factory=Counter)
    queue: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        bands = ", ".join(f"{self.bands[b]} {b}" for b in Band.values if self.bands[b])
        return (
            f"{self.count} assessed ({bands or 'none'}), {self.changed} band changes, {self.queries} queries"
        )


@contextmanager
def counting() -> Iterator[list[int]]:
    """Count the queries run inside the block (without keeping their SQL)."""
    seen = [0]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def end_of(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in UTC: the sweep reads everything up to it."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def sweep(
    today: dt.date, *, mentorship_ids: Iterable[int] | None = None, escalate: bool = True
) -> SweepReport:
    """Assess every current relationship (or those of ``mentorship_ids`` still current) as of
    ``today``, then advance the ladder and refresh the queue (``escalate=False``: only the
    health, for a replay of past days such as the demo's)."""
    report = SweepReport()
    with counting() as seen:
        current = Mentorship.objects.current()
        if mentorship_ids is not None:
            current = current.filter(id__in=list(mentorship_ids))
        ids = list(current.order_by("id").values_list("id", flat=True))
        for chunk in history.chunks(ids):
            _sweep_chunk(chunk, today, report)
    report.queries = seen[0]
    if escalate:
        report.ladder = ladder.advance(today=today)
        report.queue = queue.refresh(today=today)
    return report


def _sweep_chunk(ids: list[int], today: dt.date, report: SweepReport) -> None:
    with transaction.atomic():
        stored: dict[int, tuple[Standing, dt.date]] = {
            pk: (Standing(cast(BandCode, band), since, good), on)
            for pk, band, since, good, on in Health.objects.filter(mentorship_id__in=ids).values_list(
                "mentorship_id", "band", "band_since", "good_sweeps", "assessed_on"
            )
        }
        todo = [pk for pk in ids if pk not in stored or stored[pk][1] < today]
        if not todo:
            return
        built = history.histories(todo, until=end_of(today))
        rows: list[Health] = []
        changes: list[HealthChange] = []
        for pk in todo:
            past = built[pk]
            assessment = assess(past, today)
            previous = stored[pk][0] if pk in stored else None
            standing = settle(previous, assessment, past, today)
            change = _change(pk, previous, standing, assessment.score, assessment.reasons, today)
            if change is not None:
                changes.append(change)
            rows.append(
                Health(
                    mentorship_id=pk,
                    score=assessment.score,
                    band=standing.band,
                    band_since=standing.since,
                    good_sweeps=standing.good_sweeps,
                    reasons=list(assessment.reasons),
                    signals=list(assessment.signals),
                    last_activity_at=last_activity(past),
                    assessed_on=today,
                )
            )
            report.bands[standing.band] += 1
        # One upsert for new and stored rows alike (bulk_update's CASE per row is slow).
        Health.objects.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=["mentorship"], update_fields=FIELDS
        )
        HealthChange.objects.bulk_create(changes, batch_size=BATCH)
        report.count += len(todo)
        report.changed += len(changes)


def _change(
    pk: int,
    previous: Standing | None,
    standing: Standing,
    score: int,
    reasons: tuple[str, ...],
    today: dt.date,
) -> HealthChange | None:
    """The band change to keep, with the top reason when it is for the worse. A first
    assessment that already needs a check-in or is at risk counts as a change from "too
    early to tell", so "at risk since 9 Nov" always has its line in the pair's history."""
    if previous is None:
        if not WORSE[Band(standing.band)]:
            return None
        before = Band.TOO_EARLY
    else:
        before = Band(previous.band)
    if standing.band == before:
        return None
    worse = WORSE[Band(standing.band)] > WORSE[before]
    reason = reasons[0] if worse and reasons else ""
    return HealthChange(
        mentorship_id=pk,
        on=today,
        old_band=before,
        new_band=standing.band,
        score=score,
        reason=reason[:500],
    )


def run(now: dt.datetime) -> str:
    """The periodic job's body: today's sweep (the date in UTC), in one line."""
    return sweep(now.astimezone(dt.UTC).date()).summary()
