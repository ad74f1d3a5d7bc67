"""Synthetic relationship histories over a year with known outcomes, for ``bench.health``.

Every pair gets the same everyday life (meetings booked ahead at the agreed cadence with the
odd cancellation, no-show and reschedule, conversations that are mostly answered, the pulse
at day 14, 30 and every 60 days answered by about two in three, goals, the manager's
standing contacts) and then its archetype bends it: a holiday with no pause declared, a
declared pause, a slow start, fading, one side walking away, unhappiness, never starting,
or an ending nothing foretold. The archetype's cause is the signals that name it.

About 40 % of pairs end early, as in the issue's studies (38 % and 66 %). The numbers are
our picture of program life, not fitted to the model: cadences of 7, 14 (most) or 21 days
and 30 for monthly pairs; 6 % of meetings cancelled, 3 % missed, 5 % moved; a holiday of
1-3 weeks with no pause declared for 30 % of steady pairs; a declared pause of 3-11 weeks;
slow starters book their first meeting on day 10-30 for 1-2 weeks later; fading pairs'
gaps grow by 20-60 % a meeting; a partner who walks away leaves 1-5 messages unanswered,
is reported by half the partners, and the pair ends 5-16 weeks later.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from meridian.engagement.health import Event

BASE = dt.date(2026, 1, 5)  # a Monday: the sweeps run on Mondays
YEAR = 365
SIDES = ("mentor", "mentee")
# archetype: (share of pairs, must not be flagged, the signals that name its cause)
ARCHETYPES: dict[str, tuple[float, bool, frozenset[str]]] = {
    "steady": (0.33, True, frozenset()),
    "monthly": (0.10, True, frozenset()),
    "slow_start": (0.08, True, frozenset()),
    "paused": (0.08, True, frozenset()),
    "fading": (0.10, False, frozenset({"contact_gap", "falling_frequency"})),
    "mentor_gone": (
        0.06,
        False,
        frozenset({"unanswered", "report_unresponsive", "cancellations", "one_sided"}),
    ),
    "mentee_gone": (
        0.07,
        False,
        frozenset({"unanswered", "report_unresponsive", "cancellations", "one_sided"}),
    ),
    "unhappy": (0.06, False, frozenset({"low_pulse", "continue_no", "request_end"})),
    "never_met": (0.06, False, frozenset({"no_first_meeting"})),
    "sudden": (0.06, False, frozenset()),  # a real ending nothing foretold: not in recall
}


@dataclass
class Pair:
    archetype: str
    started_on: dt.date
    cadence: int
    end: dt.date | None = None  # an early ending, None if the pair ran its year
    events: list[Event] = field(default_factory=list)

    @property
    def must_not_flag(self) -> bool:
        return ARCHETYPES[self.archetype][1]

    @property
    def foreseeable(self) -> bool:
        return self.end is not None and self.archetype != "sudden"


class Life:
    """One pair's year being written: days are counted from the start."""

    def __init__(self, rng: random.Random, pair: Pair) -> None:
        self.rng, self.pair = rng, pair
        self.quiet: list[tuple[int, int]] = []  # days without meetings (a holiday, a pause)
        self.talk_when_quiet = 0.0  # the share of conversations that still happen then

    def add(self, kind: str, day: int, by: str | None, value: int | None = None) -> None:
        when = dt.datetime.combine(
            self.pair.started_on + dt.timedelta(days=day),
            dt.time(self.rng.randint(7, 21), self.rng.randint(0, 59)),
            tzinfo=dt.UTC,
        )
        self.pair.events.append(Event(kind, when, by, value))

    def is_quiet(self, day: int) -> bool:
        return any(a <= day < b for a, b in self.quiet)

    def side(self) -> str:
        return self.rng.choice(SIDES)

    def meetings(
        self, first: int, stop: int, *, cadence: float, growth: float = 1.0, flaky: float = 1.0, lead: int = 0
    ) -> int:
        """Meetings from day ``first`` until ``stop``, each booked 2-10 days ahead (the first
        ``lead`` days ahead if given); returns the day of the last one held."""
        rng, day, gap, last = self.rng, first, cadence, -1
        while day < stop:
            if self.is_quiet(day):
                day = next(b for a, b in self.quiet if a <= day < b) + rng.randint(1, 7)
                continue
            lead, ahead = 0, lead or rng.randint(2, 10)
            self.add("meeting_booked", max(0, day - ahead), self.side(), ahead)
            roll = rng.random()
            if roll < 0.06 * flaky:
                self.add("meeting_cancelled", max(0, day - rng.randint(0, 2)), self.side())
                day += rng.randint(3, 9)
                continue
            if roll < 0.09 * flaky:
                self.add("meeting_missed", day, self.side())
            else:
                if roll < 0.14:
                    self.add("meeting_rescheduled", max(0, day - 1), self.side(), rng.randint(2, 7))
                    day += rng.randint(2, 7)
                self.add("meeting_held", day, self.side())
                last = day
            gap *= growth
            day += max(3, round(gap + rng.uniform(-0.2, 0.3) * cadence))
        return last

    def chatter(
        self, first: int, stop: int, *, per_week: float, reply: float = 0.85, lean: float = 0.5
    ) -> None:
        """Conversations as a Poisson process; ``lean``: the share the mentor starts."""
        rng, day = self.rng, float(first)
        while True:
            day += rng.expovariate(per_week / 7)
            if day >= stop:
                return
            if self.is_quiet(int(day)) and rng.random() >= self.talk_when_quiet:
                continue
            author = "mentor" if rng.random() < lean else "mentee"
            at = int(day)
            self.add("message", at, author)
            chance = reply
            while rng.random() < chance:
                at += rng.choice((0, 0, 1, 1, 2, 3))
                author = "mentee" if author == "mentor" else "mentor"
                self.add("message", at, author)
                chance *= 0.55

    def pulses(self, first: int, stop: int, rating: dict[str, tuple[int, ...]], answer: float = 0.65) -> None:
        """The pulse at day 14, 30 and every 60 days, those due from ``first`` until ``stop``."""
        day = 14
        while day < stop:
            for side in SIDES:
                if day >= first and self.rng.random() < answer:
                    self.add("pulse", day + self.rng.randint(0, 4), side, self.rng.choice(rating[side]))
            day = 30 if day == 14 else day + 60

    def goals(self, first: int, stop: int) -> None:
        if self.rng.random() < 0.85 and first < stop:
            self.add("goal_set", first + self.rng.randint(0, 20), self.side())
            for day in range(first + 30, stop, self.rng.randint(30, 80)):
                self.add("goal_progress", day, self.side())

    def manager(self, stop: int, *, answered: float = 0.9, sides: tuple[str, ...] = SIDES) -> None:
        """The standing contacts: twice in the first month, monthly to day 90, then quarterly."""
        for day in (8, 24, 55, 85, 175, 265, 355):
            if day >= stop:
                return
            self.add("manager_contact", day, "manager")
            if self.rng.random() < answered:
                self.add("checkin", day + self.rng.randint(1, 5), self.rng.choice(sides))


GOOD: tuple[int, ...] = (3, 4, 4, 4, 5, 5, 5)


def _everyday(
    life: Life, stop: int, *, cadence: int, first: int | None = None, flaky: float = 1.0, lead: int = 0
) -> int:
    rng = life.rng
    first = rng.randint(4, 18) if first is None else first
    last = life.meetings(first, stop, cadence=cadence, flaky=flaky, lead=lead)
    life.chatter(0, stop, per_week=rng.uniform(0.6, 2.0))
    life.goals(rng.randint(3, 10), stop)
    return last


def _walk_away(life: Life, side: str) -> None:
    rng, pair = life.rng, life.pair
    gone = rng.randint(30, 230)
    _everyday(life, gone, cadence=pair.cadence)
    partner = "mentee" if side == "mentor" else "mentor"
    life.pulses(0, gone, {"mentor": GOOD, "mentee": GOOD})
    life.manager(gone + 120, sides=(partner,), answered=0.8)
    roll = rng.random()
    if roll < 0.7:
        life.add("meeting_booked", gone, partner, rng.randint(3, 9))
        life.add("meeting_cancelled" if roll < 0.4 else "meeting_missed", gone + rng.randint(3, 9), side)
    last = gone
    for _ in range(rng.randint(1, 5)):
        last += rng.randint(4, 12)
        life.add("message", last, partner)
    if rng.random() < 0.3:
        life.add("message", gone + rng.randint(5, 25), side)  # one late, short answer
    if rng.random() < 0.5:
        life.add("report_unresponsive", gone + rng.randint(14, 45), partner)
    pair.end = pair.started_on + dt.timedelta(days=min(YEAR - 5, gone + rng.randint(35, 110)))
    if rng.random() < 0.5:
        life.add("request_rematch", (pair.end - pair.started_on).days - rng.randint(0, 10), partner)


def _make(archetype: str, life: Life) -> None:
    rng, pair = life.rng, life.pair
    good = {"mentor": GOOD, "mentee": GOOD}
    if archetype in ("steady", "monthly", "slow_start", "paused"):
        if archetype == "steady" and rng.random() < 0.3:
            start = rng.randint(60, 300)
            life.quiet.append((start, start + rng.randint(7, 24)))  # a holiday, no pause declared
            life.talk_when_quiet = 0.3
        if archetype == "paused":
            start = rng.randint(40, 280)
            life.quiet.append((start, start + rng.randint(21, 75)))
            life.add("pause_start", start, life.side())
            life.add("pause_end", life.quiet[0][1], life.side())
        if archetype == "slow_start":  # booked on day 10-30, for 1-2 weeks later
            lead = rng.randint(7, 15)
            _everyday(life, YEAR, cadence=pair.cadence, first=rng.randint(10, 30) + lead, lead=lead)
        else:
            _everyday(life, YEAR, cadence=pair.cadence)
        life.pulses(0, YEAR, good)
        life.manager(YEAR)
    elif archetype == "fading":
        fade = rng.randint(30, 150)
        last = life.meetings(rng.randint(4, 18), fade, cadence=pair.cadence)
        last = max(
            last,
            life.meetings(
                fade, fade + rng.randint(40, 110), cadence=pair.cadence, growth=rng.uniform(1.2, 1.6), flaky=2
            ),
        )
        life.chatter(0, fade, per_week=rng.uniform(0.6, 2.0))
        life.chatter(fade, last + 20, per_week=0.4, reply=0.6)
        life.goals(rng.randint(3, 10), fade)
        life.pulses(0, last + 30, {"mentor": (3, 3, 4, 4, 5), "mentee": (3, 3, 4, 4, 5)}, answer=0.5)
        life.manager(last + 60, answered=0.6)
        pair.end = pair.started_on + dt.timedelta(days=min(YEAR - 5, max(last, fade) + rng.randint(30, 100)))
    elif archetype in ("mentor_gone", "mentee_gone"):
        _walk_away(life, archetype.removesuffix("_gone"))
    elif archetype == "unhappy":
        unhappy, sour = life.side(), rng.randint(14, 220)
        end = min(YEAR - 5, sour + rng.randint(30, 110))
        _everyday(life, end, cadence=pair.cadence, flaky=1.8)
        life.pulses(0, sour, good)
        life.pulses(sour, end, {**good, unhappy: (1, 2, 2, 3)}, answer=0.75)
        if rng.random() < 0.4:
            life.add("continue_no", end - rng.randint(15, 40), unhappy)
        if rng.random() < 0.6:
            life.add("request_end", end - rng.randint(3, 25), unhappy)
        life.manager(end)
        pair.end = pair.started_on + dt.timedelta(days=end)
    elif archetype == "never_met":
        end = rng.randint(50, 150)
        life.chatter(0, rng.randint(10, 40), per_week=rng.uniform(0.5, 1.5), reply=0.5)
        if rng.random() < 0.4:
            life.add("meeting_booked", rng.randint(5, 20), life.side(), rng.randint(3, 10))
            life.add("meeting_cancelled", rng.randint(21, 30), life.side())
        life.pulses(0, end, {"mentor": (2, 3, 3, 4), "mentee": (2, 3, 3, 4)}, answer=0.3)
        life.manager(end, answered=0.5)
        pair.end = pair.started_on + dt.timedelta(days=end)
    elif archetype == "sudden":
        end = rng.randint(30, 340)
        _everyday(life, end, cadence=pair.cadence)
        life.pulses(0, end, good)
        life.manager(end)
        life.add("request_end", end, life.side())
        pair.end = pair.started_on + dt.timedelta(days=end)


def generate(pairs: int, seed: int) -> list[Pair]:
    """``pairs`` histories in the archetypes' shares, each sorted by time."""
    rng = random.Random(seed)
    names = list(ARCHETYPES)
    out = []
    for n in range(pairs):
        archetype = (
            names[n % len(names)]
            if n < len(names)
            else rng.choices(names, [ARCHETYPES[a][0] for a in names])[0]
        )
        cadence = 30 if archetype == "monthly" else rng.choices((7, 14, 21), (0.15, 0.7, 0.15))[0]
        pair = Pair(archetype, BASE + dt.timedelta(days=rng.randint(0, 90)), cadence)
        _make(archetype, Life(rng, pair))
        pair.events.sort(key=lambda e: e.at)
        out.append(pair)
    return out
