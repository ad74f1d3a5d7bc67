"""Matching at scale on seeded demo cohorts: end-to-end time and peak memory, and the total
score against the baselines measured in the same run (the exact optimum over every allowed
pair, SciPy's capacity-expanded ``linear_sum_assignment``, greedy, stable).

    .venv/bin/python -m bench.matching [--quick] [--scipy-cap SECONDS]

End to end = parse the participant CSV text, score and prune (``prepare``, ``candidates``),
solve, explain every match, build the quality report. Each large case runs in a fresh
process, so its peak memory (``ru_maxrss``: the whole process, Python, libraries and the
input text included) is its own. ``--quick`` skips 80,000 x 20,000.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench.timing import print_table
from matching_engine.demo import generate_cohort
from matching_engine.explain import iter_explanations
from matching_engine.model import Participant, Role
from matching_engine.participants import read_participants, write_participants_csv
from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.report import quality_report
from matching_engine.scoring import Problem, prepare
from matching_engine.solve import mentor_cutoffs, solve_greedy, solve_optimal, solve_scipy
from matching_engine.stable import blocking_pairs, stable_match

SEED = 2026
CAPACITY = (1, 5)
K = 40
SCIPY_CAP_S = 300.0
STAGES = ("parse", "score", "solve", "explain", "report")
Result = dict[str, Any]


@dataclass
class Run:
    """One end-to-end run: seconds per stage, and what it produced."""

    seconds: dict[str, float] = field(default_factory=dict)
    problem: Problem | None = None
    candidates: Candidates | None = None
    assignment: Assignment | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - started

    def summary(self) -> Result:
        assert self.candidates is not None
        assert self.assignment is not None
        a = self.assignment
        return {
            "stages": self.seconds,
            "seconds": sum(self.seconds.values()),
            "pairs": len(self.candidates.mentee),
            "total": a.total,
            "bound": a.upper_bound,
            "gap": a.gap,
            "matched": a.matched,
            "mentees": self.candidates.n_mentees,
        }


def cohort_csv(mentees: int, mentors: int) -> bytes:
    """The demo cohort as participant-file bytes (what a user would hand the command)."""
    people = generate_cohort(mentees, mentors, seed=SEED, capacity=CAPACITY)
    return write_participants_csv(people).encode()


def sides(data: bytes) -> tuple[list[Participant], list[Participant]]:
    people = read_participants(data, filename="people.csv", max_bytes=len(data)).people
    return [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]


def end_to_end(data: bytes, mode: Mode = Mode.OPTIMAL) -> Run:
    """Parse, score, solve, explain every match and build the report, timing each stage."""
    run = Run()
    with run.stage("parse"):
        mentees, mentors = sides(data)
    with run.stage("score"):
        run.problem = problem = prepare(mentees, mentors)
        run.candidates = c = problem.candidates(k=K)
    with run.stage("solve"):
        run.assignment, run.candidates = a, c = _solve(problem, c, mode)
    with run.stage("explain"):
        matched = np.flatnonzero(a.mentor_of >= 0)
        for _ in iter_explanations(problem, matched, a.mentor_of[matched]):
            pass  # as the command line does: each used (its summary written) and let go
    with run.stage("report"):
        quality_report(c, a, mentees, mentors, problem=problem)
    return run


def _solve(problem: Problem, c: Candidates, mode: Mode) -> tuple[Assignment, Candidates]:
    """The assignment and the candidates it was solved over (stable mode may add some)."""
    if mode is Mode.STABLE:
        return stable_match(problem, c, k=K)
    return solve_optimal(c, mentor_cutoff=None if c.complete else mentor_cutoffs(c, K)), c


def peak_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_run(data: bytes, mode: Mode, repeat: int) -> Run:
    """The run with the median end-to-end time of ``repeat``."""
    runs = sorted((end_to_end(data, mode) for _ in range(repeat)), key=lambda r: sum(r.seconds.values()))
    return runs[len(runs) // 2]


# --- the cases (each in a fresh process) -------------------------------------------------------


def optimal_case(mentees: int, mentors: int, repeat: int, baselines: bool) -> Result:
    data = cohort_csv(mentees, mentors)
    start = peak_mb()
    run = median_run(data, Mode.OPTIMAL, repeat)
    result = {**run.summary(), "peak_mb": peak_mb(), "start_mb": start, "repeat": repeat}
    if baselines:
        assert run.problem is not None
        result.update(exact_and_greedy(run.problem))
    return result


def exact_and_greedy(problem: Problem) -> Result:
    """The exact optimum (min-cost flow over every allowed pair) and greedy over every pair."""
    started = time.perf_counter()
    every = problem.candidates(full=True)
    exact = solve_optimal(every)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    greedy = solve_greedy(every)
    return {
        "all_pairs": len(every.mentee),
        "exact": {"total": exact.total, "matched": exact.matched, "seconds": seconds},
        "greedy": {
            "total": greedy.total,
            "matched": greedy.matched,
            "seconds": time.perf_counter() - started,
        },
    }


def stable_case(mentees: int, mentors: int, repeat: int) -> Result:
    run = median_run(cohort_csv(mentees, mentors), Mode.STABLE, repeat)
    assert run.problem is not None
    assert run.candidates is not None
    assert run.assignment is not None
    every = run.problem.candidates(full=True)
    blocking = blocking_pairs(run.candidates, run.assignment)
    return {**run.summary(), "blocking": blocking, "blocking_all": blocking_pairs(every, run.assignment)}


def scipy_case(mentees: int, mentors: int) -> Result:
    """SciPy on the expanded matrix of every allowed pair (building the matrix included)."""
    every = prepare(*sides(cohort_csv(mentees, mentors))).candidates(full=True)
    started = time.perf_counter()
    assignment = solve_scipy(every)
    return {
        "seconds": time.perf_counter() - started,
        "total": assignment.total,
        "matched": assignment.matched,
    }


def in_process(call: Callable[..., Result], *args: Any, timeout: float | None = None) -> Result | None:
    """``call`` in a fresh process (its own peak memory); None when it ran past ``timeout``."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pending = pool.apply_async(call, args)
        try:
            return pending.get(timeout)
        except multiprocessing.TimeoutError:
            pool.terminate()
            return None


# --- the tables --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.matching")
    parser.add_argument("--quick", action="store_true", help="skip 80,000 x 20,000")
    parser.add_argument("--scipy-cap", type=float, default=SCIPY_CAP_S, help="seconds SciPy may take")
    args = parser.parse_args(argv)
    print(f"Matching: demo cohorts, seed {SEED}, capacities {CAPACITY[0]}-{CAPACITY[1]}, k={K}", flush=True)
    small = in_process(optimal_case, 1_000, 200, 5, False)
    large = in_process(optimal_case, 10_000, 2_000, 3, True)
    stable = in_process(stable_case, 10_000, 2_000, 3)
    scipy = in_process(scipy_case, 10_000, 2_000, timeout=args.scipy_cap)
    huge = None if args.quick else in_process(optimal_case, 80_000, 20_000, 1, False)
    assert small is not None
    assert large is not None
    assert stable is not None
    print_stages(small, large, stable, huge)
    print_baselines(large, stable, scipy, args.scipy_cap)
    print_targets(small, large, stable, scipy, args.scipy_cap)
    if huge is None:
        print("\n80,000 x 20,000 skipped (--quick)")


def print_stages(small: Result, large: Result, stable: Result, huge: Result | None) -> None:
    cases = [
        ("(a) 1,000 x 200 optimal", small),
        ("(b) 10,000 x 2,000 optimal", large),
        ("(c) 10,000 x 2,000 stable", stable),
    ]
    if huge is not None:
        cases.append(("(d) 80,000 x 20,000 optimal", huge))
    rows = [[label, *_stage_cells(case), f"{case['pairs']:,}", _gap(case)] for label, case in cases]
    header = ["case", *STAGES, "total s", "peak MB", "candidate pairs", "bound gap"]
    print_table("End to end, seconds per stage (median run)", header, rows)
    print(
        f"  peak MB: the whole process; {large['start_mb']:,.0f} MB before (b) started (Python, input text)"
    )


def _stage_cells(case: Result) -> list[str]:
    stages = [f"{case['stages'][name]:.3f}" for name in STAGES]
    memory = f"{case['peak_mb']:,.0f}" if "peak_mb" in case else "-"
    return [*stages, f"{case['seconds']:.3f}", memory]


def _gap(case: Result) -> str:
    if "blocking" in case:  # stable: its bound is the trivial one, not a certificate
        return "-"
    gap = case["gap"]
    return "proven" if gap == 0 else f"{gap:.4%}"


def print_baselines(large: Result, stable: Result, scipy: Result | None, cap: float) -> None:
    exact, greedy = large["exact"], large["greedy"]
    ours_s = large["stages"]["solve"]
    scipy_cells = (
        [
            f"{scipy['total']:.4f}",
            f"{scipy['matched']:,}",
            f"{scipy['seconds']:.3f}",
            _vs(scipy["total"], exact["total"]),
        ]
        if scipy
        else ["-", "-", f"> {cap:.0f} (capped)", "-"]
    )
    rows = [
        ["ours: min-cost flow, top-k", *_solver_cells(large, ours_s), _vs(large["total"], exact["total"])],
        ["exact: min-cost flow, all pairs", *_solver_cells(exact, exact["seconds"]), "-"],
        ["SciPy expanded LSA, all pairs", *scipy_cells],
        [
            "greedy, all pairs",
            *_solver_cells(greedy, greedy["seconds"]),
            _vs(greedy["total"], exact["total"]),
        ],
        ["stable (deferred acceptance)", *_solver_cells(stable, stable["stages"]["solve"]), "-"],
    ]
    title = f"10,000 x 2,000: total score ({large['all_pairs']:,} allowed pairs; ours {large['pairs']:,})"
    print_table(title, ["solver", "total", "matched", "seconds", "vs exact"], rows)
    print(
        f"  greedy / ours: total {greedy['total'] / large['total']:.2%}, "
        f"coverage {greedy['matched'] / large['matched']:.2%}; "
        f"stable / ours: total {stable['total'] / large['total']:.2%}"
    )


def _solver_cells(result: Result, seconds: float) -> list[str]:
    return [f"{result['total']:.4f}", f"{result['matched']:,}", f"{seconds:.3f}"]


def _vs(value: float, reference: float) -> str:
    return f"{(value - reference) / reference:+.4%}" if reference else "-"


def print_targets(small: Result, large: Result, stable: Result, scipy: Result | None, cap: float) -> None:
    shortfall = (large["exact"]["total"] - large["total"]) / large["exact"]["total"]
    scipy_s = scipy["seconds"] if scipy else cap
    ratio = f"{scipy_s / large['stages']['solve']:.1f}x" + ("" if scipy else " at least (capped)")
    rows = [
        ["(a) 1,000 x 200 end to end", "< 0.5 s", f"{small['seconds']:.3f} s"],
        ["(b) 10,000 x 2,000 end to end", "< 3 s", f"{large['seconds']:.3f} s"],
        ["(b) peak memory", "< 1.5 GB", f"{large['peak_mb'] / 1024:.2f} GB"],
        ["(b) total below the exact optimum", "<= 0.05%", f"{shortfall:.4%}"],
        ["(b) solve vs SciPy expanded", ">= 10x faster", ratio],
        [
            "(c) stable end to end",
            "< 2 s",
            f"{stable['seconds']:.3f} s (solve {stable['stages']['solve']:.3f} s)",
        ],
        [
            "(c) blocking pairs (candidates; all pairs)",
            "0",
            f"{stable['blocking']}; {stable['blocking_all']}",
        ],
    ]
    print_table("Targets (issue 4)", ["figure", "target", "measured"], rows)


if __name__ == "__main__":
    main(sys.argv[1:])
