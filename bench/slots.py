"""Mutual slots at scale: 10,000 pairs of people in random zones over 8 weeks that span the
spring and autumn clock changes of both hemispheres, against the obvious per-minute loop
measured in the same run, and a check that both find the same mutual minutes.

    .venv/bin/python -m bench.slots [--quick]

The per-minute loop reads every minute of the 8 weeks on both people's clocks (zoneinfo)
and tests it against their windows. It is slow, so it runs on a sample of the pairs and
its time is scaled to all of them (the output says so). Availability is realistic: two to
five days a week, windows between 06:00 and 23:00 local, so no window meets a repeated or
skipped hour and the plain per-minute reading is exact. The sample leans to pairs that have mutual time
(three in four) so that the check compares minutes, not zeros. ``--quick``: 1,000 pairs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.timing import print_table
from meridian.scheduling.slots import Person, mutual_slots, windows_from_text

SEED = 2026
START = datetime(2026, 3, 2, tzinfo=UTC)  # US, EU, Sydney, Adelaide, Auckland all change clocks by 27 April
WEEKS = 8
ZONES = (
    "Europe/London",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Pacific/Auckland",
)
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WORKING = (
    "",
    "",
    "",
    "",
    "Mon 08:00-16:00; Tue 08:00-16:00; Wed 08:00-16:00; Thu 08:00-16:00; Sun 10:00-18:00",
)
Pair = tuple[Person, Person]


def random_person(rng: random.Random) -> Person:
    parts = []
    for day in sorted(rng.sample(range(7), rng.randint(2, 5))):
        for _ in range(rng.randint(1, 2)):
            start = rng.randrange(12, 44)  # half hours: 06:00 to 21:30
            end = min(start + rng.randint(2, 8), 46)  # one to four hours, by 23:00
            parts.append(
                f"{DAYS[day]} {start // 2:02d}:{start % 2 * 30:02d}-{end // 2:02d}:{end % 2 * 30:02d}"
            )
    return Person(
        zone=rng.choice(ZONES),
        availability=tuple(windows_from_text("; ".join(parts))),
        working_hours=tuple(windows_from_text(rng.choice(WORKING))),
    )


def fast_minutes(pairs: list[Pair], end: datetime) -> tuple[float, list[int]]:
    started = clock.perf_counter()
    found = [mutual_slots(pair, START, end, viewer_zone=pair[0].zone) for pair in pairs]
    seconds = clock.perf_counter() - started
    return seconds, [sum((s.end - s.start) // timedelta(minutes=1) for s in slots) for slots in found]


def sample_pairs(rng: random.Random, counts: list[int], n: int) -> list[int]:
    """Pairs to check: three in four with some mutual time (so the check has minutes to
    compare), the rest with none."""
    some = [i for i, c in enumerate(counts) if c]
    none = [i for i, c in enumerate(counts) if not c]
    chosen = rng.sample(some, min(len(some), n - n // 4))
    return sorted(chosen + rng.sample(none, min(len(none), n - len(chosen))))


def per_minute(pair: Pair, end: datetime) -> int:
    """The obvious algorithm: every minute, read both clocks and look for a window."""
    readers = []
    for person in pair:
        days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for weekday, start, stop in person.availability:
            days[weekday].append((start.hour * 60 + start.minute, stop.hour * 60 + stop.minute or 1440))
        readers.append((ZoneInfo(person.zone), days))
    count, t = 0, START
    while t < end:
        both = True
        for zone, days in readers:
            local = t.astimezone(zone)
            now = local.hour * 60 + local.minute
            if not any(s <= now < e for s, e in days[local.weekday()]):
                both = False
                break
        count += both
        t += timedelta(minutes=1)
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.slots")
    parser.add_argument("--quick", action="store_true", help="1,000 pairs, a smaller sample")
    args = parser.parse_args(argv)
    n_pairs, n_sample = (1_000, 4) if args.quick else (10_000, 12)
    rng = random.Random(SEED)
    pairs = [(random_person(rng), random_person(rng)) for _ in range(n_pairs)]
    end = START + timedelta(weeks=WEEKS)
    print(
        f"Slot search: {n_pairs:,} pairs, {WEEKS} weeks from {START:%Y-%m-%d} UTC, "
        f"{len(ZONES)} zones, seed {SEED}",
        flush=True,
    )
    fast_s, fast_counts = fast_minutes(pairs, end)
    sample = sample_pairs(rng, fast_counts, n_sample)
    started = clock.perf_counter()
    slow_counts = [per_minute(pairs[i], end) for i in sample]
    slow_s = clock.perf_counter() - started
    scaled = slow_s / n_sample * n_pairs
    rows = [
        [
            "mutual_slots",
            f"{n_pairs:,}",
            f"{fast_s:.3f}",
            f"{fast_s / n_pairs * 1e6:,.0f} µs",
            f"{fast_s:.3f}",
        ],
        [
            "per-minute loop (baseline)",
            f"{n_sample} (sample)",
            f"{slow_s:.3f}",
            f"{slow_s / n_sample * 1e6:,.0f} µs",
            f"{scaled:,.1f} (scaled)",
        ],
    ]
    print_table(
        "Mutual slots, one pass", ["method", "pairs timed", "seconds", "per pair", "all pairs s"], rows
    )
    print(
        f"  mutual_slots vs per-minute loop: {scaled / fast_s:,.0f}x faster "
        f"(the loop timed on {n_sample} pairs, scaled to {n_pairs:,})"
    )
    ours = [fast_counts[i] for i in sample]
    if ours != slow_counts:
        bad = [(i, a, b) for i, a, b in zip(sample, ours, slow_counts, strict=True) if a != b]
        print(
            f"  CHECK FAILED: mutual minutes differ on {len(bad)} sampled pairs (pair, ours, loop): {bad[:5]}"
        )
        sys.exit(1)
    print(f"  check: mutual minutes agree on all {n_sample} sampled pairs ({sum(ours):,} minutes in all)")
    print(
        f"  all pairs: {sum(fast_counts):,} mutual minutes; "
        f"{sum(c == 0 for c in fast_counts):,} pairs have none"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
