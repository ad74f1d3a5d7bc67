"""Missing data against the hard rules: ``meridian-match`` on a demo file of 400 mentees and
120 mentors in which 15 % of the rows (both sides) lack their availability or their
languages, with "at least 1 h shared" and "require a common language" on.

    .venv/bin/python -m bench.missing_data [--mentees 400] [--mentors 120] [--share 0.15] [--seed 2026]

The file goes through the command's own code path (``matching_engine.cli.main``: read the
CSV and the settings, score, solve, explain, report) in each mode; the pairs it writes are
then checked one by one by ``matching_engine.audit`` (plain Python, not the scorer's mask).
Prints, per mode, the pairs that break a rule (must be 0) and the people with an
incomplete profile left unmatched, by reason.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import random
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from matching_engine.audit import rule_breaks
from matching_engine.cli import main as meridian_match
from matching_engine.config import parse_config
from matching_engine.demo import generate_cohort
from matching_engine.model import Participant, Role
from matching_engine.participants import write_participants_csv

SETTINGS = "[constraints]\nmin_shared_hours = 1.0\nrequire_common_language = true\n"


def people_with_gaps(mentees: int, mentors: int, share: float, seed: int) -> tuple[list[Participant], int]:
    """The demo cohort with ``share`` of its rows missing availability or languages (each at
    random), and how many rows that is."""
    people = generate_cohort(mentees, mentors, seed=seed)
    rng = random.Random(seed)
    chosen = rng.sample(range(len(people)), round(share * len(people)))
    for i in chosen:
        if rng.random() < 0.5:
            people[i] = replace(people[i], availability=())
        else:
            people[i] = replace(people[i], languages=())
    return people, len(chosen)


def run_mode(folder: Path, mode: str) -> dict[str, object]:
    """``meridian-match`` in one mode; returns its JSON report and its pairs."""
    out, report = folder / f"matches-{mode}.csv", folder / f"report-{mode}.json"
    args = [str(folder / "people.csv"), "-o", str(out), "--config", str(folder / "settings.toml")]
    with contextlib.redirect_stdout(io.StringIO()):
        status = meridian_match([*args, "--mode", mode, "--report", str(report)])
    if status != 0:
        raise SystemExit(f"meridian-match exited with {status} in {mode} mode")
    with out.open(encoding="utf-8", newline="") as file:
        pairs = [(row["mentee_id"], row["mentor_id"]) for row in csv.DictReader(file)]
    return {"report": json.loads(report.read_text(encoding="utf-8")), "pairs": pairs}


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.missing_data")
    parser.add_argument("--mentees", type=int, default=400)
    parser.add_argument("--mentors", type=int, default=120)
    parser.add_argument("--share", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    people, blanked = people_with_gaps(args.mentees, args.mentors, args.share, args.seed)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    constraints = parse_config(SETTINGS).constraints
    print(
        f"meridian-match on {len(mentees)} mentees x {len(mentors)} mentors; {blanked} rows "
        f"({blanked / len(people):.0%}) missing availability or languages; "
        "rules: at least 1 h shared a week, a common language"
    )
    broken_total = 0
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / "people.csv").write_text(write_participants_csv(people), encoding="utf-8")
        (folder / "settings.toml").write_text(SETTINGS, encoding="utf-8")
        for mode in ("optimal", "stable"):
            found = run_mode(folder, mode)
            broken_total += _print_mode(mode, found, mentees, mentors, constraints)
    sys.exit(1 if broken_total else 0)


def _print_mode(
    mode: str,
    found: dict[str, object],
    mentees: list[Participant],
    mentors: list[Participant],
    constraints: object,
) -> int:
    pairs = found["pairs"]
    report = found["report"]
    assert isinstance(pairs, list)
    assert isinstance(report, dict)
    mentee_at = {p.id: i for i, p in enumerate(mentees)}
    mentor_at = {p.id: j for j, p in enumerate(mentors)}
    mentor_of = np.full(len(mentees), -1)
    for mentee_id, mentor_id in pairs:
        mentor_of[mentee_at[mentee_id]] = mentor_at[mentor_id]
    breaks = rule_breaks(mentees, mentors, constraints, mentor_of)  # type: ignore[arg-type]
    broken_pairs = {(b.mentee_id, b.mentor_id) for b in breaks}
    incomplete = report["incomplete"]
    rule_gaps = [g for g in incomplete if g["rules"]]
    left = [g for g in rule_gaps if not g["matched"]]
    print(f"\n{mode}: {len(pairs)} pairs proposed; pairs that break a rule: {len(broken_pairs)}")
    for rule, n in Counter(b.rule for b in breaks).most_common():
        print(f"  {rule}: {n}")
    sides = Counter(str(g["role"]) for g in left)
    print(
        f"  people missing availability or languages: {len(rule_gaps)}; left unmatched: {len(left)} "
        f"({sides['mentee']} mentees, {sides['mentor']} mentors)"
    )
    for reason, n in Counter(_kind(g) for g in left).most_common():
        print(f"    {n:4d}  {reason}")
    matched = [g for g in rule_gaps if g["matched"]]
    if matched:
        print(f"  matched although missing a fact a rule needs (must be 0 unless let in): {len(matched)}")
    return len(broken_pairs)


def _kind(gap: dict[str, object]) -> str:
    """The reason without names and counts: what a rule could not check."""
    rules = gap["rules"]
    assert isinstance(rules, list)
    return f"{gap['role']}: " + " and ".join(rules) + " cannot be checked"


if __name__ == "__main__":
    main()
