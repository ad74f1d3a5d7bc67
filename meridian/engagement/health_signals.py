"""The signals of ``health.assess``, one detector each: the history as of today (``Facts``)
and the policy in, a ``Finding`` (or None) out. Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from meridian.engagement.health import Event, HealthPolicy, History

Signal = Literal[
    "no_first_meeting",
    "contact_gap",
    "falling_frequency",
    "cancellations",
    "unanswered",
    "one_sided",
    "no_goals",
    "low_pulse",
    "continue_no",
    "report_unresponsive",
    "request_end",
    "manager_unanswered",
]
SIGNALS: tuple[Signal, ...] = get_args(Signal)
# Among findings of equal weight, the one that says more about who comes first.
SPECIFIC: tuple[Signal, ...] = (
    "request_end",
    "report_unresponsive",
    "continue_no",
    "low_pulse",
    "unanswered",
    "cancellations",
    "one_sided",
    "manager_unanswered",
    "no_first_meeting",
    "falling_frequency",
    "contact_gap",
    "no_goals",
)
SIDES = ("mentor", "mentee")
OUTCOMES = ("meeting_held", "meeting_cancelled", "meeting_missed")


@dataclass(frozen=True)
class Finding:
    """One signal with the facts its sentence names."""

    code: Signal
    penalty: int
    hard: bool = False
    who: str | None = None  # the side it is about: author, canceller, reporter, asker
    on: dt.date | None = None  # the date the sentence names
    days: int = 0  # the length the sentence names
    count: int = 0
    of: int = 0
    detail: str = ""  # a variant of the sentence: "cancelled", "missed", "rematch", ...
    cadence_days: int = 0
    cadence_agreed: bool = True  # the pair agreed ``cadence_days`` (False: the program's)
    sides: tuple[int, int] = (0, 0)  # how many by the mentor, by the mentee


def other(side: str | None) -> str:
    return "mentee" if side == "mentor" else "mentor"


class Facts:
    """The history as of today, read once: the events in time order and the paused days."""

    def __init__(self, history: History, today: dt.date) -> None:
        self.today = today
        self.started_on = history.started_on
        self.cadence = max(1, history.cadence_days)
        self.cadence_agreed = history.cadence_agreed
        events = sorted(history.events, key=attrgetter("at"))
        end = len(events)
        while end and events[end - 1].at.date() > today:
            end -= 1
        self.events = events[:end]
        self.age = (today - history.started_on).days
        self.by_kind: dict[str, list[Event]] = {}
        for e in self.events:
            self.by_kind.setdefault(e.kind, []).append(e)
        self.held = [e.at.date() for e in self.by_kind.get("meeting_held", ())]
        self.pauses = self._pauses()
        # the last meeting held clears every wait: only what came after it is read for them
        self.last_held = len(self.events) - 1
        while self.last_held >= 0 and self.events[self.last_held].kind != "meeting_held":
            self.last_held -= 1
        self.after_meeting = self.events[self.last_held + 1 :]

    def _pauses(self) -> list[tuple[dt.date, dt.date]]:
        spans: list[tuple[dt.date, dt.date]] = []
        start: dt.date | None = None
        for e in self.of("pause_start", "pause_end"):
            if e.kind == "pause_start" and start is None:
                start = e.at.date()
            elif e.kind == "pause_end" and start is not None:
                spans.append((start, e.at.date()))
                start = None
        if start is not None:
            spans.append((start, self.today))
        return spans

    def days_since(self, day: dt.date) -> int:
        """Days from ``day`` to today, less the paused ones."""
        if not self.pauses:
            return max(0, (self.today - day).days)
        paused = sum(max(0, (min(b, self.today) - max(a, day)).days) for a, b in self.pauses)
        return max(0, (self.today - day).days - paused)

    def of(self, *kinds: str) -> list[Event]:
        """The events of these kinds, in time order."""
        if len(kinds) == 1:
            return self.by_kind.get(kinds[0], [])
        return [e for e in self.events if e.kind in kinds]

    def upcoming_booking(self) -> bool:
        """A meeting on the calendar: the latest booking is still ahead and nothing since."""
        latest: Event | None = None
        for e in self.of("meeting_booked", *OUTCOMES):
            if e.kind == "meeting_booked":
                latest = e
            elif e.kind in OUTCOMES:
                latest = None
        if latest is None:
            return False
        return latest.at.date() + dt.timedelta(days=latest.value or 0) >= self.today

    def last_two_sided(self) -> dt.date | None:
        """The latest meeting held or message answered by the other side."""
        last = self.held[-1] if self.held else None
        previous_author: str | None = None
        for e in reversed(self.events[: max(0, self.last_held)]):
            if e.kind == "message" and e.by in SIDES:
                previous_author = e.by
                break
        for e in self.after_meeting:
            if e.kind == "message" and e.by in SIDES:
                if previous_author == other(e.by):
                    last = e.at.date()
                previous_author = e.by
        return last


def no_first_meeting(f: Facts, p: HealthPolicy) -> Finding | None:
    days = f.days_since(f.started_on)
    if f.held or days < p.first_meeting_days or f.upcoming_booking():
        return None
    weeks_over = (days - p.first_meeting_days) // 7
    penalty = p.first_meeting_weight + p.first_meeting_weekly * weeks_over
    return Finding("no_first_meeting", penalty, on=f.started_on, days=days)


def contact_gap(f: Facts, p: HealthPolicy) -> Finding | None:
    silent = f.days_since(f.last_two_sided() or f.started_on)
    if silent >= p.no_contact_days:
        return Finding(
            "contact_gap",
            p.gap_cap,
            hard=True,
            days=silent,
            detail="no_contact",
            cadence_days=f.cadence,
            cadence_agreed=f.cadence_agreed,
        )
    if not f.held:
        return None
    gap = f.days_since(f.held[-1])
    excess = (gap - f.cadence) / max(f.cadence, p.gap_slack_floor_days)
    if excess < p.gap_fires_at:
        return None
    penalty = min(p.gap_cap, round(p.gap_weight * excess))
    if f.upcoming_booking():
        penalty = round(penalty * p.booked_relief)
    return Finding("contact_gap", penalty, days=gap, cadence_days=f.cadence, cadence_agreed=f.cadence_agreed)


def falling_frequency(f: Facts, p: HealthPolicy) -> Finding | None:
    """The last gap between meetings and the one still open both much longer than usual."""
    if len(f.held) < max(3, p.falling_min_meetings):
        return None
    gaps = [f.days_since(a) - f.days_since(b) for a, b in zip(f.held, f.held[1:], strict=False)]
    recent, before = [gaps[-1], max(gaps[-2], f.days_since(f.held[-1]))], sorted(gaps[:-1])
    usual = max(before[len(before) // 2], f.cadence)
    if min(recent) < p.falling_ratio * usual:
        return None
    return Finding(
        "falling_frequency", p.falling_weight, days=sum(recent) // 2, count=usual, cadence_days=f.cadence
    )


def cancellations(f: Facts, p: HealthPolicy) -> Finding | None:
    window = f.of(*OUTCOMES)[-p.cancel_window :]
    bad = [e for e in window if e.kind != "meeting_held"]
    if len(bad) < max(1, p.cancel_fires_at):
        return None
    kinds = {e.kind for e in bad}
    detail = "cancelled or missed" if len(kinds) > 1 else kinds.pop().removeprefix("meeting_")
    sides = (sum(e.by == "mentor" for e in bad), sum(e.by == "mentee" for e in bad))
    return Finding(
        "cancellations",
        p.cancel_weight * len(bad),
        count=len(bad),
        of=len(window),
        detail=detail,
        sides=sides,
    )


def unanswered(f: Facts, p: HealthPolicy) -> Finding | None:
    """The oldest message that opened an exchange and got nothing back from the other side
    (a message, a booking, a meeting). A reply within ``unanswered_days`` closes an
    exchange and waits for nothing: "thanks, see you Tuesday" needs no answer."""
    waiting: dict[str, dt.date | None] = dict.fromkeys(SIDES)
    count: dict[str, int] = dict.fromkeys(SIDES, 0)
    previous: tuple[str, dt.date] | None = None
    for e in f.after_meeting:
        if e.kind not in ("message", "meeting_booked", "meeting_rescheduled"):
            continue
        day = e.at.date()
        if e.by in SIDES:
            partner = other(e.by)
            replies = previous is not None and previous[0] == partner
            replies = replies and previous is not None and (day - previous[1]).days <= p.unanswered_days
            waiting[partner] = None
            if e.kind == "message":
                if not replies and waiting[e.by] is None:
                    waiting[e.by], count[e.by] = day, 0
                count[e.by] += 1
                previous = (e.by, day)
    oldest = min(((d, side) for side, d in waiting.items() if d is not None), default=None)
    if oldest is None or (days := f.days_since(oldest[0])) < p.unanswered_days:
        return None
    weeks_over = (days - p.unanswered_days) // 7
    penalty = min(p.unanswered_cap, p.unanswered_weight + p.unanswered_weekly * weeks_over)
    return Finding("unanswered", penalty, who=oldest[1], on=oldest[0], days=days, count=count[oldest[1]])


def one_sided(f: Facts, p: HealthPolicy) -> Finding | None:
    messages: list[Event] = []
    for e in reversed(f.of("message")):
        if len(messages) == p.one_sided_window or f.days_since(e.at.date()) > p.one_sided_days:
            break
        if e.by in SIDES:
            messages.append(e)
    if len(messages) < max(1, p.one_sided_min):
        return None
    side = max(SIDES, key=lambda s: sum(e.by == s for e in messages))
    count = sum(e.by == side for e in messages)
    if count < p.one_sided_share * len(messages):
        return None
    return Finding("one_sided", p.one_sided_weight, who=side, count=count, of=len(messages))


def no_goals(f: Facts, p: HealthPolicy) -> Finding | None:
    days = f.days_since(f.started_on)
    if days < p.goal_days or f.of("goal_set"):
        return None
    return Finding("no_goals", p.goal_weight, on=f.started_on, days=days)


def _latest(f: Facts, kind: str, side: str) -> Event | None:
    found = [e for e in f.of(kind) if e.by == side]
    return found[-1] if found else None


def low_pulse(f: Facts, p: HealthPolicy) -> Finding | None:
    low = []
    for side in SIDES:
        e = _latest(f, "pulse", side)
        if e is None or e.value is None or e.value > p.low_pulse_at_most:
            continue
        if f.days_since(e.at.date()) <= p.pulse_valid_days:
            low.append((e.value, e.at.date(), side))
    if not low:
        return None
    value, on, side = min(low)
    return Finding("low_pulse", p.low_pulse_weight, hard=True, who=side, on=on, count=value)


def continue_no(f: Facts, p: HealthPolicy) -> Finding | None:
    for side in SIDES:
        e = _latest(f, "continue_no", side)
        pulse = _latest(f, "pulse", side)
        if e is None or (pulse is not None and pulse.at > e.at):
            continue
        if f.days_since(e.at.date()) <= p.pulse_valid_days:
            return Finding("continue_no", p.continue_no_weight, hard=True, who=side, on=e.at.date())
    return None


def report_unresponsive(f: Facts, p: HealthPolicy) -> Finding | None:
    reports = f.of("report_unresponsive")
    if not reports:
        return None
    report = reports[-1]
    partner = other(report.by) if report.by in SIDES else None
    for e in f.events:
        if e.at > report.at and (
            e.kind == "meeting_held" or (e.by == partner and e.kind in ("message", "meeting_booked"))
        ):
            return None
    return Finding("report_unresponsive", p.report_weight, hard=True, who=report.by, on=report.at.date())


def request_end(f: Facts, p: HealthPolicy) -> Finding | None:
    requests = f.of("request_end", "request_rematch")
    if not requests or (f.held and f.held[-1] > requests[-1].at.date()):
        return None
    e = requests[-1]
    detail = "rematch" if e.kind == "request_rematch" else "end"
    return Finding("request_end", p.request_weight, hard=True, who=e.by, on=e.at.date(), detail=detail)


def manager_unanswered(f: Facts, p: HealthPolicy) -> Finding | None:
    contacts = f.of("manager_contact")
    if not contacts:
        return None
    contact = contacts[-1]
    for e in reversed(f.events):
        if e.at <= contact.at:
            break
        if e.by in SIDES or e.kind == "meeting_held":
            return None
    days = f.days_since(contact.at.date())
    if days < p.manager_answer_days:
        return None
    weeks_over = (days - p.manager_answer_days) // 7
    penalty = min(p.manager_cap, p.manager_weight + p.manager_weekly * weeks_over)
    return Finding("manager_unanswered", penalty, on=contact.at.date(), days=days)


DETECTORS: tuple[Callable[[Facts, HealthPolicy], Finding | None], ...] = (
    no_first_meeting,
    contact_gap,
    falling_frequency,
    cancellations,
    unanswered,
    one_sided,
    no_goals,
    low_pulse,
    continue_no,
    report_unresponsive,
    request_end,
    manager_unanswered,
)
