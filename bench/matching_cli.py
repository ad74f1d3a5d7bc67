"""``meridian-match`` end to end, as a user runs it: a fresh process on a 10,000 x 2,000
participant file, next to SciPy's ``linear_sum_assignment`` on the capacity-expanded matrix
of every allowed pair, and the command's import time.

    .venv/bin/python -m bench.matching_cli [--repeat N] [--scipy-cap SECONDS]

End to end = start Python, import, read the CSV, score, solve, explain every match, write
MATCHES.csv and the report (``--report``). Peak memory is the command's own
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest child waited for, so SciPy runs after
the command's figure is taken). Import time is ``python -X importtime``'s cumulative figure
for ``matching_engine.cli`` (the median of five fresh processes).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import print_table

MENTEES, MENTORS = 10_000, 2_000
SEED = 2026
CAPACITY = (1, 5)
TARGET_S = 1.2
IMPORT_TARGET_S = 0.4
SCIPY_CAP_S = 300.0

_SCIPY = """
import json, sys, time
from matching_engine.model import Role
from matching_engine.participants import read_participants
from matching_engine.scoring import prepare
from matching_engine.solve import solve_scipy

data = open(sys.argv[1], "rb").read()
people = read_participants(data, max_bytes=len(data)).people
every = prepare(
    [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]
).candidates(full=True)
started = time.perf_counter()
assignment = solve_scipy(every)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "total": assignment.total, "matched": assignment.matched}))
"""


def write_cohort(folder: Path) -> Path:
    from matching_engine.demo import generate_cohort
    from matching_engine.participants import write_participants_csv

    path = folder / "people.csv"
    people = generate_cohort(MENTEES, MENTORS, seed=SEED, capacity=CAPACITY)
    path.write_text(write_participants_csv(people), encoding="utf-8")
    return path


def run_command(people: Path, folder: Path) -> tuple[float, float, dict[str, object]]:
    """One run of the command in a fresh process: its seconds, its CPU seconds (user and
    system, every thread: steadier than the clock on a shared machine) and its JSON report."""
    report = folder / "report.json"
    command = [sys.executable, "-m", "matching_engine.cli", str(people), "-o", str(folder / "matches.csv")]
    before = _children_cpu()
    started = time.perf_counter()
    subprocess.run([*command, "--report", str(report)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    return seconds, _children_cpu() - before, json.loads(report.read_text(encoding="utf-8"))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_seconds() -> float:
    """``python -X importtime``'s cumulative microseconds for ``matching_engine.cli``, as seconds."""
    samples = []
    for _ in range(5):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import matching_engine.cli"],
            check=True,
            capture_output=True,
            text=True,
        )
        line = next(x for x in result.stderr.splitlines() if x.rstrip().endswith("| matching_engine.cli"))
        samples.append(int(line.split("|")[1]) / 1e6)
    return statistics.median(samples)


def scipy_baseline(people: Path, cap: float) -> dict[str, float] | None:
    """SciPy on the expanded matrix of every allowed pair (building the matrix included), in a
    fresh process; None when it ran past ``cap`` seconds."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _SCIPY, str(people)],
            check=True,
            capture_output=True,
            text=True,
            timeout=cap,
        )
    except subprocess.TimeoutExpired:
        return None
    found: dict[str, float] = json.loads(result.stdout)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.matching_cli")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the command (the median is shown)")
    parser.add_argument("--scipy-cap", type=float, default=SCIPY_CAP_S, help="seconds SciPy may take")
    args = parser.parse_args(argv)
    print(f"meridian-match: {MENTEES:,} x {MENTORS:,} demo cohort, seed {SEED}", flush=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        people = write_cohort(folder)
        runs = [run_command(people, folder) for _ in range(args.repeat)]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        imported = import_seconds()
        scipy = scipy_baseline(people, args.scipy_cap)
    seconds = statistics.median(s for s, _, _ in runs)
    cpu = statistics.median(c for _, c, _ in runs)
    report = runs[0][2]
    certificate = report["certificate"]
    assert isinstance(certificate, dict)
    ours_total = float(certificate["total"])
    rows = [
        ["meridian-match end to end", f"{seconds:.3f} s", f"<= {TARGET_S} s", f"{peak_mb:,.0f} MB"],
        ["  its CPU time (user + system)", f"{cpu:.3f} s", "-", "-"],
        ["  import of matching_engine.cli", f"{imported:.3f} s", f"< {IMPORT_TARGET_S} s", "-"],
    ]
    if scipy is None:
        rows.append(["SciPy expanded LSA, all pairs", f"> {args.scipy_cap:.0f} s (capped)", "-", "-"])
    else:
        rows.append(["SciPy expanded LSA, all pairs", f"{scipy['seconds']:.3f} s", "-", "-"])
    print_table(
        f"meridian-match, {MENTEES:,} x {MENTORS:,} (median of {args.repeat}; each run "
        + ", ".join(f"{s:.2f}" for s, _, _ in runs)
        + " s)",
        ["figure", "measured", "target", "peak memory"],
        rows,
    )
    if scipy is not None:
        print(
            f"  SciPy's solve alone / meridian-match end to end: {scipy['seconds'] / seconds:.1f}x; "
            f"total score: ours {ours_total:.4f} ({report['matched']:,} matched), "
            f"SciPy {scipy['total']:.4f} ({int(scipy['matched']):,} matched)"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
