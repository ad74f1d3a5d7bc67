"""Every relationship's history for ``health.assess``, built set-based: one query per
source table for a whole chunk of relationships, never a query per relationship.

``histories(mentorships, until=...)`` reads activity metadata only (when, by which side,
which kind; never a message's body, a note or a report's words) from the meetings and
their events, the conversation, check-ins, reports, goals and their progress, pulses,
pauses, the managers' contacts and re-matching requests, and turns each row into an
``Event``. Roles come from the members (mentor or mentee; a group's mentees are all
"mentee"). The cadence is the agreed agreement's (its latest agreed version), else the
program's (``cadence_agreed`` says which, so a reason does not claim an agreement that
the pair never made). A chunk is at most ``CHUNK`` relationships, so the ``IN`` lists
stay sane.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from meridian.engagement.health import Event, History
from meridian.engagement.models import ContactLog, Pause, Pulse
from meridian.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Closure,
    Goal,
    Member,
    Mentorship,
    Milestone,
    ProgressUpdate,
    UnresponsiveReport,
)
from meridian.messaging.models import Message
from meridian.scheduling.models import EventKind, Meeting, MeetingEvent, MeetingStatus

CHUNK = 5000
# The queries one chunk costs, whatever its size (pinned by the tests).
QUERIES_PER_CHUNK = 15
DAY = dt.timedelta(days=1)


def _ids(mentorships: Sequence[Mentorship] | QuerySet[Mentorship] | Iterable[int]) -> list[int]:
    if isinstance(mentorships, QuerySet):
        return list(mentorships.values_list("id", flat=True))
    return [m if isinstance(m, int) else m.pk for m in mentorships]


def chunks(ids: Sequence[int], size: int | None = None) -> Iterator[list[int]]:
    size = size or CHUNK
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _raw(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """A ``values_list`` query's rows as the driver gives them: Django's converters, one call
    per value, cost more than the rest of the history on SQLite (times read by ``when``)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _when(value: str | dt.datetime | None) -> dt.datetime | None:
    """A raw row's time as an aware UTC datetime: SQLite gives naive UTC (or its text),
    PostgreSQL an aware one."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)


def histories(
    mentorships: Sequence[Mentorship] | QuerySet[Mentorship] | Iterable[int], *, until: dt.datetime
) -> dict[int, History]:
    """The history of each relationship (keyed by its id) up to ``until``: a fixed number
    of queries per ``CHUNK`` relationships."""
    out: dict[int, History] = {}
    for chunk in chunks(_ids(mentorships)):
        out.update(_chunk(chunk, until))
    return out


class _Collector:
    """The events of one chunk, grouped by relationship, with each member's side."""

    def __init__(self, roles: dict[int, dict[int, str]]) -> None:
        self.roles = roles
        self.events: dict[int, list[Event]] = defaultdict(list)

    def side(self, mentorship_id: int, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return self.roles.get(mentorship_id, {}).get(user_id)

    def add(
        self, mentorship_id: int, kind: str, at: dt.datetime | None, by: str | None, value: int | None = None
    ) -> None:
        if at is not None:
            self.events[mentorship_id].append(Event(kind, at, by, value))


def _chunk(ids: list[int], until: dt.datetime) -> dict[int, History]:
    base = {
        pk: (started_on, weeks)
        for pk, started_on, weeks in Mentorship.objects.filter(id__in=ids).values_list(
            "id", "started_on", "program__cadence_weeks"
        )
    }
    agreed: dict[int, int] = {}
    for pk, weeks in (
        AgreementVersion.objects.filter(mentorship_id__in=ids, agreed_at__isnull=False, agreed_at__lte=until)
        .order_by("mentorship_id", "number")
        .values_list("mentorship_id", "every_weeks")
    ):
        agreed[pk] = weeks  # the latest agreed version wins
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for pk, user_id, role in Member.objects.filter(mentorship_id__in=ids).values_list(
        "mentorship_id", "user_id", "role"
    ):
        roles[pk][user_id] = "mentor" if role == "mentor" else "mentee"
    c = _Collector(roles)
    _meetings(c, ids, until)
    _contact(c, ids, until)
    _goals(c, ids, until)
    _engagement(c, ids, until)
    return {
        pk: History(
            started_on=started_on,
            cadence_days=7 * (agreed.get(pk) or weeks or 2),
            events=sorted(c.events.get(pk, []), key=lambda e: e.at),
            cadence_agreed=bool(agreed.get(pk)),
        )
        for pk, (started_on, weeks) in base.items()
    }


def _meetings(c: _Collector, ids: list[int], until: dt.datetime) -> None:
    # A meeting's outcome as it stands now (a correction replaces the first mark), at the
    # time it took place.
    w = _when
    for pk, status, starts_at in _raw(
        Meeting.objects.filter(
            mentorship_id__in=ids,
            status__in=(MeetingStatus.HELD, MeetingStatus.MISSED),
            starts_at__lte=until,
        ).values_list("mentorship_id", "status", "starts_at")
    ):
        c.add(pk, "meeting_held" if status == MeetingStatus.HELD else "meeting_missed", w(starts_at), None)
    rows = _raw(
        MeetingEvent.objects.filter(
            meeting__mentorship_id__in=ids,
            kind__in=(EventKind.ACCEPTED, EventKind.CANCELLED, EventKind.RESCHEDULED),
            at__lte=until,
        ).values_list("meeting__mentorship_id", "kind", "actor_id", "at", "new_start")
    )
    for pk, kind, actor_id, raw_at, raw_start in rows:
        by, at, new_start = c.side(pk, actor_id), w(raw_at), w(raw_start)
        if kind == EventKind.ACCEPTED:
            ahead = (new_start - at).days if new_start is not None and at is not None else 0
            c.add(pk, "meeting_booked", at, by, max(0, ahead))
        elif kind == EventKind.CANCELLED:
            c.add(pk, "meeting_cancelled", at, by)
        else:
            c.add(pk, "meeting_rescheduled", at, by)


def _contact(c: _Collector, ids: list[int], until: dt.datetime) -> None:
    w = _when
    for pk, author_id, at in _raw(
        Message.objects.filter(thread__mentorship_id__in=ids, created_at__lte=until).values_list(
            "thread__mentorship_id", "author_id", "created_at"
        )
    ):
        c.add(pk, "message", w(at), c.side(pk, author_id))
    for pk, author_id, at in _raw(
        CheckIn.objects.filter(mentorship_id__in=ids, created_at__lte=until).values_list(
            "mentorship_id", "author_id", "created_at"
        )
    ):
        c.add(pk, "checkin", w(at), c.side(pk, author_id))
    for pk, role, at in _raw(
        UnresponsiveReport.objects.filter(mentorship_id__in=ids, created_at__lte=until).values_list(
            "mentorship_id", "reporter_role", "created_at"
        )
    ):
        c.add(pk, "report_unresponsive", w(at), "mentor" if role == "mentor" else "mentee")


def _goals(c: _Collector, ids: list[int], until: dt.datetime) -> None:
    w = _when
    for pk, author_id, at in _raw(
        Goal.objects.filter(mentorship_id__in=ids, created_at__lte=until).values_list(
            "mentorship_id", "created_by_id", "created_at"
        )
    ):
        c.add(pk, "goal_set", w(at), c.side(pk, author_id))
    for pk, author_id, at in _raw(
        ProgressUpdate.objects.filter(goal__mentorship_id__in=ids, created_at__lte=until).values_list(
            "goal__mentorship_id", "author_id", "created_at"
        )
    ):
        c.add(pk, "goal_progress", w(at), c.side(pk, author_id))
    for pk, done_at in _raw(
        Milestone.objects.filter(goal__mentorship_id__in=ids, done_at__lte=until).values_list(
            "goal__mentorship_id", "done_at"
        )
    ):
        c.add(pk, "goal_progress", w(done_at), None)


def _engagement(c: _Collector, ids: list[int], until: dt.datetime) -> None:
    w = _when
    for pk, role, raw_at, rating, wants in _raw(
        Pulse.objects.filter(mentorship_id__in=ids, answered_at__lte=until).values_list(
            "mentorship_id", "role", "answered_at", "rating", "wants_continue"
        )
    ):
        side, at = ("mentor" if role == "mentor" else "mentee"), w(raw_at)
        if rating is not None:
            c.add(pk, "pulse", at, side, rating)
        if wants == "no":
            c.add(pk, "continue_no", at, side)
    for pk, starts_on, ends_on in Pause.objects.filter(
        mentorship_id__in=ids, starts_on__lte=until.date()
    ).values_list("mentorship_id", "starts_on", "ends_on"):
        c.add(pk, "pause_start", _midnight(starts_on), None)
        if _midnight(ends_on + DAY) <= until:
            c.add(pk, "pause_end", _midnight(ends_on + DAY), None)
    for pk, at in _raw(
        ContactLog.objects.filter(mentorship_id__in=ids, at__lte=until).values_list("mentorship_id", "at")
    ):
        c.add(pk, "manager_contact", w(at), "manager")
    for pk, at in _raw(
        Closure.objects.filter(mentorship_id__in=ids, rematch_requested_at__lte=until).values_list(
            "mentorship_id", "rematch_requested_at"
        )
    ):
        c.add(pk, "request_rematch", w(at), "mentee")
