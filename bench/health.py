"""Relationship health against simple rules, on synthetic histories with known outcomes.

    .venv/bin/python -m bench.health [--seed N] [--pairs N]     # default: seeds 1, 2, 3

``bench.health_histories`` writes a year of a few thousand pairs (steady, monthly, slow
starters and paused pairs that must not be flagged; fading, one side walking away,
unhappiness, never meeting, and sudden endings nothing foretold). The sweep runs every
Monday on the simulated dates: ``assess`` then ``settle`` with the standing carried, as the
real sweep does; the simple rules read the same histories on the same Mondays.

For the at-risk band: recall on the early endings that could be foreseen, flagged at least
14 days before the end; precision (a flag is a pair ever put at risk, right if the pair ends
early, sudden endings included); the false at-risk rate on the pairs that must not be
flagged; how often the top reason when first flagged (``signals[0]``) names the true cause
(each archetype's cause is the set of signals that name it, in ``ARCHETYPES``). A model beats
a rule when its F1 (recall and precision) is higher and its false at-risk rate no higher than
the rule's or within the target. The simple rules, which know nothing of pauses: "no meeting
in 30 days", the reminders at 4 and 8 weeks (no meeting 28, resp. 56 days after the last, or
after the start), "90 days inactive" (no meeting, message or check-in by the pair).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.health_histories import ARCHETYPES, YEAR, Pair, generate
from bench.timing import print_table
from meridian.engagement.health import DEFAULT_POLICY, HealthPolicy, History, Standing, assess, settle

LEAD_DAYS = 14
DEFAULT_PAIRS = 2_000
OURS = "Meridian health"
TARGETS = {"recall": 0.80, "precision": 0.60, "false": 0.05, "reason": 0.90}
CONTACT = ("meeting_held", "message", "checkin")


@dataclass(frozen=True)
class Flag:
    on: dt.date
    reason: str  # the top signal's code


@dataclass(frozen=True)
class Seen:
    """What the simple rules read on a sweep: the last meeting held and the last contact."""

    started_on: dt.date
    last_meeting: dt.date | None
    last_contact: dt.date | None


Rule = Callable[[Seen, dt.date], Flag | None]


def _no_meeting(days: int) -> Rule:
    def rule(seen: Seen, today: dt.date) -> Flag | None:
        if (today - (seen.last_meeting or seen.started_on)).days < days:
            return None
        return Flag(today, "contact_gap" if seen.last_meeting else "no_first_meeting")

    return rule


def _inactive(seen: Seen, today: dt.date) -> Flag | None:
    if (today - (seen.last_contact or seen.started_on)).days < 90:
        return None
    return Flag(today, "contact_gap")


RULES: dict[str, Rule] = {
    "no meeting in 30 days": _no_meeting(30),
    "reminder at 4 weeks": _no_meeting(28),
    "reminder at 8 weeks": _no_meeting(56),
    "90 days inactive": _inactive,
}


def mondays(pair: Pair) -> list[dt.date]:
    first = pair.started_on + dt.timedelta(days=(7 - pair.started_on.weekday()) % 7)
    stop = pair.end or pair.started_on + dt.timedelta(days=YEAR)
    return [
        first + dt.timedelta(weeks=n)
        for n in range((stop - first).days // 7 + 1)
        if first + dt.timedelta(weeks=n) < stop
    ]


def sweep(pair: Pair, policy: HealthPolicy = DEFAULT_POLICY) -> dict[str, Flag | None]:
    """Each model's first at-risk flag for one pair over its weekly sweeps."""
    days = [e.at.date() for e in pair.events]
    flags: dict[str, Flag | None] = dict.fromkeys([OURS, *RULES])
    standing: Standing | None = None
    seen = Seen(pair.started_on, None, None)
    read = 0
    for today in mondays(pair):
        upto = bisect.bisect_right(days, today)
        for e in pair.events[read:upto]:
            if e.kind == "meeting_held":
                seen = Seen(pair.started_on, e.at.date(), e.at.date())
            elif e.kind in CONTACT and e.by in ("mentor", "mentee"):
                seen = Seen(pair.started_on, seen.last_meeting, e.at.date())
        read = upto
        history = History(pair.started_on, pair.cadence, pair.events[:upto])
        assessment = assess(history, today, policy)
        standing = settle(standing, assessment, history, today, policy)
        if standing.band == "at_risk" and flags[OURS] is None:
            flags[OURS] = Flag(today, assessment.signals[0] if assessment.signals else "")
        for name, rule in RULES.items():
            if flags[name] is None:
                flags[name] = rule(seen, today)
    return flags


@dataclass(frozen=True)
class Figures:
    recall: float
    precision: float
    false: float
    reason: float
    lead_days: float  # median days from the first flag to the end, foreseen endings caught

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0

    def beats(self, other: Figures) -> bool:
        return self.f1 > other.f1 and self.false <= max(other.false, TARGETS["false"])


def figures(pairs: Sequence[Pair], flags: Sequence[Flag | None]) -> Figures:
    foreseen = [(p, f) for p, f in zip(pairs, flags, strict=True) if p.foreseeable]
    caught = [
        (p, f) for p, f in foreseen if f is not None and p.end and f.on <= p.end - dt.timedelta(LEAD_DAYS)
    ]
    flagged = [p for p, f in zip(pairs, flags, strict=True) if f is not None]
    calm = [f for p, f in zip(pairs, flags, strict=True) if p.must_not_flag]
    named = [f for p, f in caught if f is not None and f.reason in ARCHETYPES[p.archetype][2]]
    leads = [(p.end - f.on).days for p, f in caught if p.end and f]
    return Figures(
        recall=len(caught) / max(1, len(foreseen)),
        precision=sum(p.end is not None for p in flagged) / max(1, len(flagged)),
        false=sum(f is not None for f in calm) / max(1, len(calm)),
        reason=len(named) / max(1, len(caught)),
        lead_days=statistics.median(leads) if leads else 0.0,
    )


def evaluate(pairs: Sequence[Pair], policy: HealthPolicy = DEFAULT_POLICY) -> dict[str, Figures]:
    """Each model's figures over the pairs."""
    return _figures_by_model(pairs, [sweep(p, policy) for p in pairs])


def _figures_by_model(pairs: Sequence[Pair], swept: Sequence[dict[str, Flag | None]]) -> dict[str, Figures]:
    return {name: figures(pairs, [s[name] for s in swept]) for name in swept[0]} if swept else {}


def _archetype_rows(pairs: Sequence[Pair], flags: Sequence[Flag | None]) -> list[tuple[object, ...]]:
    """Per archetype: how many, how many ever at risk, caught in time, top reason right."""
    rows: list[tuple[object, ...]] = []
    for name, (_, calm, cause) in ARCHETYPES.items():
        mine = [(p, f) for p, f in zip(pairs, flags, strict=True) if p.archetype == name]
        flagged = [(p, f) for p, f in mine if f is not None]
        caught = [(p, f) for p, f in flagged if p.end and f and f.on <= p.end - dt.timedelta(LEAD_DAYS)]
        named = sum(f.reason in cause for _, f in caught if f)
        kind = "must not flag" if calm else ("unforeseeable" if name == "sudden" else "early ending")
        in_time = "" if calm or name == "sudden" else f"{len(caught) / max(1, len(mine)):.0%}"
        right = f"{named}/{len(caught)}" if cause else ""
        rows.append((name, kind, len(mine), f"{len(flagged) / max(1, len(mine)):.1%}", in_time, right))
    return rows


def run(seed: int, size: int) -> list[str]:
    """One seed's tables; returns what fell short (targets missed, rules not beaten)."""
    started = time.perf_counter()
    pairs = generate(size, seed)
    swept = [sweep(p) for p in pairs]
    results = _figures_by_model(pairs, swept)
    seconds = time.perf_counter() - started
    ours = results[OURS]
    print(f"\nseed {seed}: {len(pairs)} pairs, a year each, swept weekly, in {seconds:.1f} s")
    print_table(
        f"Meridian health per archetype, seed {seed}",
        ("archetype", "kind", "pairs", "ever at risk", f"flagged >= {LEAD_DAYS} d ahead", "top reason right"),
        _archetype_rows(pairs, [s[OURS] for s in swept]),
    )
    rows: list[tuple[object, ...]] = []
    for name, fig in results.items():
        if name == OURS:
            beats = "yes" if all(ours.beats(results[r]) for r in RULES) else "NO"
        else:
            beats = "beaten" if ours.beats(fig) else "NOT beaten"
        cells = (fig.recall, fig.precision, fig.false, fig.reason, fig.f1, fig.lead_days)
        rows.append(
            (
                name,
                *(f"{c:{f}}" for c, f in zip(cells, (".2f", ".2f", ".1%", ".0%", ".2f", ".0f"), strict=True)),
                beats,
            )
        )
    t = TARGETS
    rows.append(
        (
            "target",
            f">= {t['recall']:.2f}",
            f">= {t['precision']:.2f}",
            f"<= {t['false']:.0%}",
            f">= {t['reason']:.0%}",
            "",
            "",
            "",
        )
    )
    print_table(
        f"At risk, seed {seed} (recall: foreseeable early endings flagged >= {LEAD_DAYS} days ahead)",
        (
            "model",
            "recall",
            "precision",
            "false at risk",
            "top reason right",
            "F1",
            "median lead (d)",
            "beats rules",
        ),
        rows,
    )
    short = [
        name
        for name, ok in (
            ("recall", ours.recall >= t["recall"]),
            ("precision", ours.precision >= t["precision"]),
            ("false at risk", ours.false <= t["false"]),
            ("top reason right", ours.reason >= t["reason"]),
        )
        if not ok
    ]
    return short + [f"not beating {r!r}" for r in RULES if not ours.beats(results[r])]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.health")
    parser.add_argument("--seed", type=int, action="append", help="a seed (repeatable); default 1, 2, 3")
    parser.add_argument("--pairs", type=int, default=DEFAULT_PAIRS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seeds = args.seed or [1, 2, 3]
    short = {seed: run(seed, args.pairs) for seed in seeds}
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    beaten = sum(not any("beating" in s for s in missed) for missed in short.values())
    print(f"every rule beaten on {beaten} of {len(seeds)} seeds")
    for seed, missed in short.items():
        print(
            f"seed {seed}: " + (f"short of the target: {', '.join(missed)}" if missed else "every target met")
        )


if __name__ == "__main__":
    main(sys.argv[1:])
