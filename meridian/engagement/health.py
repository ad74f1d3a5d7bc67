"""Relationship health, pure: a pair's activity metadata in, a score, a band and reasons out.

``assess(history, today)`` reads a relationship's events (meetings, messages, pulses,
reports, requests, pauses, the manager's contacts: when and by whom, never what was said)
and measures them against the pair's agreed cadence. ``settle(previous, assessment, ...)``
keeps the band steady between sweeps: a pair leaves "at risk" only after a logged meeting
or two good sweeps in a row. No Django here (import-linter's "pure" contract), so the
sweep, the tests and ``bench/health.py`` call the same code.

Days are whole days. A declared pause stops the clocks: the days from a ``pause_start``'s
date up to, not including, the next ``pause_end``'s date (or today, if none yet) do not
count toward any gap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from meridian.engagement.health_reasons import reason_text
from meridian.engagement.health_signals import DETECTORS, SIGNALS, SPECIFIC, Facts, Finding, Signal

__all__ = [
    "BANDS",
    "DEFAULT_POLICY",
    "KINDS",
    "SIGNALS",
    "Assessment",
    "Band",
    "Event",
    "Finding",
    "HealthPolicy",
    "History",
    "Signal",
    "Standing",
    "assess",
    "last_activity",
    "settle",
]

Band = Literal["too_early", "on_track", "check_in", "at_risk"]
BANDS: tuple[Band, ...] = ("too_early", "on_track", "check_in", "at_risk")
KINDS = (
    "meeting_booked",
    "meeting_held",
    "meeting_cancelled",
    "meeting_rescheduled",
    "meeting_missed",
    "message",
    "checkin",
    "pulse",
    "continue_no",
    "report_unresponsive",
    "request_end",
    "request_rematch",
    "goal_set",
    "goal_progress",
    "pause_start",
    "pause_end",
    "manager_contact",
)
SIDES = ("mentor", "mentee")


@dataclass(frozen=True)
class Event:
    """One thing that happened: ``at`` an aware UTC datetime, ``by`` "mentor", "mentee",
    "manager" or None, ``value`` the days ahead for ``meeting_booked``, 1-5 for ``pulse``.
    Unknown kinds are ignored."""

    kind: str
    at: dt.datetime
    by: str | None
    value: int | None = None


@dataclass(frozen=True)
class History:
    """``cadence_agreed``: the cadence is the pair's agreement's (False: the program's, as
    the pair has agreed none yet), so a reason says who asks for it."""

    started_on: dt.date
    cadence_days: int
    events: Sequence[Event]
    cadence_agreed: bool = True


@dataclass(frozen=True)
class HealthPolicy:
    """Every threshold and weight, with where its number comes from. Penalties are points
    off a score of 100. "Our choice" numbers were set on ``bench/health.py``'s seed 1 and
    checked on seeds 2 and 3 (``python -m bench.health``)."""

    # Bands. The issue: "too early to tell" only in the first 14 days.
    too_early_days: int = 14
    check_in_below: int = 70  # our choice: one clear sign (a late meeting) is a check-in
    at_risk_below: int = 40  # our choice: two clear signs, or one grown large, is at risk
    # Contact gap, against the cadence. A weekly pair is given a fortnight's slack (our
    # choice: one skipped week is normal life), so "excess" = (gap - cadence) / max(cadence, 14).
    gap_slack_floor_days: int = 14
    gap_fires_at: float = 0.5  # our choice: half a cadence late (3 weeks for a fortnightly pair)
    gap_weight: int = 25  # points per cadence late: at risk on its own at 2.4 cadences late
    gap_cap: int = 60
    booked_relief: float = 0.5  # our choice: a meeting on the calendar halves the gap's weight
    # The issue: no two-sided contact (a meeting, or a message answered) for 60 days is at risk.
    no_contact_days: int = 60
    # First meeting: its absence is one of the early warning signs; counting from
    # 3 weeks is our choice (a first meeting is usually booked within the first fortnight).
    first_meeting_days: int = 21
    first_meeting_weight: int = 35
    first_meeting_weekly: int = 8  # our choice: at risk three weeks later with no booking
    # Falling frequency: both of the last two gaps between meetings this much longer than
    # the pair's usual gap (our choice: one long gap is a holiday, two are a trend).
    falling_ratio: float = 1.5
    falling_min_meetings: int = 4
    falling_weight: int = 15
    # Cancellations and no-shows among the last meetings: an early warning sign in the
    # issue's research summary; the window and the weight are our choice.
    cancel_window: int = 4
    cancel_fires_at: int = 2
    cancel_weight: int = 10  # per cancelled or missed meeting in the window
    # A message with no answer from the other side (our choice: a week, then worse weekly).
    unanswered_days: int = 7
    unanswered_weight: int = 25
    unanswered_weekly: int = 10
    unanswered_cap: int = 55
    # One side makes all the running: this share of the last messages (our choice).
    one_sided_window: int = 10
    one_sided_min: int = 6
    one_sided_share: float = 0.8
    one_sided_days: int = 60
    one_sided_weight: int = 12
    # Goals: set within the first month (our choice), a minor sign on its own.
    goal_days: int = 30
    goal_weight: int = 8
    # The pulse: 1-2 of 5 or "I don't want to continue" is at risk (the issue). An answer
    # stands until the next pulse (every 60 days) plus a fortnight's grace.
    low_pulse_at_most: int = 2
    pulse_valid_days: int = 75
    low_pulse_weight: int = 40
    continue_no_weight: int = 50
    # The issue: a report of an unresponsive partner, a request to end or be re-matched.
    report_weight: int = 50
    request_weight: int = 60
    # The manager's contact left without any answer from the pair (our choice: a week).
    manager_answer_days: int = 7
    manager_weight: int = 15
    manager_weekly: int = 10
    manager_cap: int = 35
    # The issue: a pair leaves "at risk" after a logged meeting or two good sweeps.
    good_sweeps_to_leave: int = 2


DEFAULT_POLICY = HealthPolicy()


@dataclass(frozen=True)
class Assessment:
    score: int  # 0-100
    band: Band
    reasons: tuple[str, ...]  # sentences, worst first
    signals: tuple[Signal, ...]  # the same order, as codes
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Standing:
    """What the database keeps between sweeps."""

    band: Band
    since: dt.date
    good_sweeps: int = 0


def assess(history: History, today: dt.date, policy: HealthPolicy = DEFAULT_POLICY) -> Assessment:
    """Score the relationship as of ``today`` (events after today are ignored)."""
    facts = Facts(history, today)
    found = [f for detect in DETECTORS if (f := detect(facts, policy)) is not None]
    found = _worst_first(found)
    score = max(0, min(100, 100 - sum(f.penalty for f in found)))
    hard = any(f.hard for f in found)
    if hard:
        score = min(score, policy.at_risk_below - 1)
    band: Band
    if hard or (score < policy.at_risk_below and facts.age >= policy.too_early_days):
        band = "at_risk"
    elif facts.age < policy.too_early_days:
        band = "too_early"
    else:
        band = "check_in" if score < policy.check_in_below else "on_track"
    return Assessment(
        score=score,
        band=band,
        reasons=tuple(reason_text(f) for f in found),
        signals=tuple(f.code for f in found),
        findings=tuple(found),
    )


WHO = ("unanswered", "cancellations", "one_sided")  # signs that name the side that went quiet


def _worst_first(found: list[Finding]) -> list[Finding]:
    """Hard signs first, then by weight; among equals the one that says more about who.

    Two stories come before the weights: a pair that never met (the low pulse and the
    silence follow from it), and one side going quiet while the meetings had kept their pace
    (messages unanswered or meetings cancelled by one side say who, the gap only how long).
    When the meetings were thinning already the gap is the story, unless several messages in
    a row went unanswered."""
    order = {code: n for n, code in enumerate(SPECIFIC)}
    found = sorted(found, key=lambda f: (not f.hard, -f.penalty, order[f.code]))
    codes = [f.code for f in found]
    if "no_first_meeting" in codes:
        found.insert(0, found.pop(codes.index("no_first_meeting")))
        return found
    who = next((n for n, code in enumerate(codes) if code in WHO), None)
    if "contact_gap" not in codes or who is None:
        return found
    gap = codes.index("contact_gap")
    if found[gap].hard:
        return found
    thinning = "falling_frequency" in codes
    says_who = not thinning or (codes[who] == "unanswered" and found[who].count >= 2)
    # Before the gap if it says who; a single unanswered message in a thinning pair, after it.
    move = who > gap if says_who else (who < gap and codes[who] == "unanswered")
    if move:
        found.insert(gap, found.pop(who))
    return found


def settle(
    previous: Standing | None,
    assessment: Assessment,
    history: History,
    today: dt.date,
    policy: HealthPolicy = DEFAULT_POLICY,
) -> Standing:
    """The band to keep after this sweep: "at risk" holds until a meeting is held after the
    pair was put at risk, or ``good_sweeps_to_leave`` sweeps in a row were not at risk."""
    band = assessment.band
    if previous is None:
        return Standing(band, today, 0)
    if previous.band == "at_risk" and band != "at_risk":
        met = any(e.kind == "meeting_held" and previous.since <= e.at.date() <= today for e in history.events)
        good = previous.good_sweeps + 1
        if not met and good < policy.good_sweeps_to_leave:
            return Standing("at_risk", previous.since, good)
        return Standing(band, today, 0)
    return Standing(band, previous.since if band == previous.band else today, 0)


def last_activity(history: History) -> dt.datetime | None:
    """The latest contact of the pair: a meeting held, a message or a check-in."""
    times = [
        e.at
        for e in history.events
        if e.kind == "meeting_held" or (e.kind in ("message", "checkin") and e.by in SIDES)
    ]
    return max(times, default=None)
