"""``meridian-match``: the matching engine for anyone with a spreadsheet.

    meridian-match PEOPLE.csv -o MATCHES.csv [--scores SCORES.csv] [--mode optimal|stable]
                   [--objective score|coverage] [--config WEIGHTS.toml] [--report REPORT.json] [--k 40]

PEOPLE is the participant file (``shared/PARTICIPANTS-CSV.md``, CSV or XLSX). MATCHES.csv
gets one row per pair with its score, the score of each criterion and a one-line
explanation; ``--scores`` writes every allowed pair (forbidden pairs absent), so anyone can
check the optimum with their own solver. The quality report goes to the terminal and, with
``--report``, to a JSON file. A bad file or settings: exit status 2, every problem on
stderr, and no output file written.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from matching_engine.config import Config, ConfigError, load_config
from matching_engine.model import Participant, Role
from matching_engine.participants import read_participants
from matching_engine.problem import CRITERIA, Mode, Objective

if TYPE_CHECKING:
    import numpy as np

    from matching_engine.problem import Assignment, Candidates
    from matching_engine.report import QualityReport
    from matching_engine.scoring import Problem

EXIT_BAD_INPUT = 2
# The reader's default limit suits uploads to the web app; on the command line the user
# owns the machine, and 100,000 people take about 50 MB.
MAX_FILE_BYTES = 1024 * 1024 * 1024
# NumPy, SciPy and OR-Tools are imported by the run, not with this module: ``--help`` and a
# bad file answer at once (``bench.matching_cli`` measures the import).
PAIR_COLUMNS = ("mentor_id", "mentee_id", "score", *CRITERIA)


class _Failure(Exception):
    """Bad input: each line is printed to stderr."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class _Run:
    """What a successful run writes and prints."""

    files: dict[Path, str]
    report: QualityReport


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (0, or 2 on bad input)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage and the problem
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    # The run holds a dozen objects a participant and leaves almost no reference cycles: the
    # cyclic garbage collector would walk them hundreds of times, a tenth of the run (reference
    # counting still frees what is dropped).
    collecting = gc.isenabled()
    gc.disable()
    try:
        run = _run(args)
        _write_all(run.files)
    except _Failure as failure:
        for line in failure.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if collecting:
            gc.enable()
    print(run.report.to_text(), end="")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meridian-match", description="Match mentees with mentors, optimally and explained."
    )
    parser.add_argument("people", type=Path, help="the participant file (CSV or XLSX)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="MATCHES.csv to write")
    parser.add_argument("--scores", type=Path, help="also write every allowed pair's scores here")
    parser.add_argument("--mode", choices=[m.value for m in Mode], default=Mode.OPTIMAL.value)
    parser.add_argument(
        "--objective",
        choices=[o.value for o in Objective],
        default=Objective.SCORE.value,
        help="optimal mode: the highest total score, or as many mentees as possible first",
    )
    parser.add_argument("--config", type=Path, help="weights and constraints (TOML)")
    parser.add_argument("--report", type=Path, help="also write the quality report here as JSON")
    parser.add_argument("--k", type=_positive, default=40, help="candidate mentors per mentee (default 40)")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


# --- the run ---------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> _Run:
    people, config = _read_inputs(args.people, args.config)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    _check_sides(args.people, mentees, mentors)
    from matching_engine.report import quality_report  # the inputs are good: load the maths
    from matching_engine.scoring import prepare

    problem = prepare(mentees, mentors, weights=config.weights, constraints=config.constraints)
    candidates = problem.candidates(k=args.k)
    assignment, candidates = _assign(problem, candidates, Mode(args.mode), Objective(args.objective), args.k)
    report = quality_report(candidates, assignment, mentees, mentors, problem=problem)
    files = {args.output: _matches_csv(problem, candidates, assignment, mentees, mentors)}
    if args.scores:
        every = candidates if candidates.complete else problem.candidates(full=True)
        files[args.scores] = _scores_csv(every, mentees, mentors)
    if args.report:
        files[args.report] = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    return _Run(files, report)


def _read_inputs(people: Path, settings: Path | None) -> tuple[tuple[Participant, ...], Config]:
    """Both inputs, or every problem with either of them."""
    problems: list[str] = []
    try:
        found = _read_people(people)
    except _Failure as failure:
        problems += failure.lines
    try:
        config = _read_config(settings)
    except _Failure as failure:
        problems += failure.lines
    if problems:
        raise _Failure(problems)
    return found, config


def _read_people(path: Path) -> tuple[Participant, ...]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Failure([f"{path}: cannot read the file ({exc.strerror or exc})"]) from None
    result = read_participants(data, filename=path.name, max_bytes=MAX_FILE_BYTES)
    if not result.ok:
        raise _Failure([f"{path}: {error}" for error in result.errors])
    return result.people


def _read_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        return load_config(path)
    except ConfigError as exc:
        raise _Failure([f"{path}: {error}" for error in exc.errors]) from None


def _check_sides(path: Path, mentees: list[Participant], mentors: list[Participant]) -> None:
    sides = (("mentees", mentees), ("mentors", mentors))
    problems = [f"{path}: the file has no {role}" for role, side in sides if not side]
    if problems:
        raise _Failure(problems)


def _assign(
    problem: Problem, c: Candidates, mode: Mode, objective: Objective, k: int
) -> tuple[Assignment, Candidates]:
    """Solve, returning the candidates solved over (stable mode may add pairs that block the
    pruned matching, so it is stable over every allowed pair). A stable matching carries the
    optimum's bound, to show what stability costs."""
    from matching_engine.solve import mentor_cutoffs, solve_optimal
    from matching_engine.stable import stable_match

    # Problem.candidates(k=k) keeps each mentor's k best mentees too: that bounds the rest.
    cutoff = None if c.complete else mentor_cutoffs(c, k)
    if mode is Mode.STABLE:
        bound = solve_optimal(c, mentor_cutoff=cutoff).upper_bound
        stable, grown = stable_match(problem, c, k=k)
        return replace(stable, upper_bound=max(bound, stable.total)), grown
    return solve_optimal(c, objective=objective, mentor_cutoff=cutoff), c


# --- output ----------------------------------------------------------------------------------


def _matches_csv(
    problem: Problem,
    c: Candidates,
    assignment: Assignment,
    mentees: Sequence[Participant],
    mentors: Sequence[Participant],
) -> str:
    from matching_engine.explain import iter_summaries
    from matching_engine.solve import assigned_pairs

    pairs = assigned_pairs(c, assignment.mentor_of)
    rows = _pair_rows(c, pairs, mentees, mentors)
    for row, why in zip(rows, iter_summaries(problem, c.mentee[pairs], c.mentor[pairs]), strict=True):
        row.append(why)
    return _csv_text([*PAIR_COLUMNS, "explanation"], rows)


def _scores_csv(c: Candidates, mentees: Sequence[Participant], mentors: Sequence[Participant]) -> str:
    import numpy as np

    order = np.lexsort((c.mentor, c.mentee))
    return _csv_text(list(PAIR_COLUMNS), _pair_rows(c, order, mentees, mentors))


def _pair_rows(
    c: Candidates, pairs: np.ndarray, mentees: Sequence[Participant], mentors: Sequence[Participant]
) -> list[list[str]]:
    scores = [f"{s:.4f}" for s in c.score[pairs].tolist()]
    parts = [[f"{v:.4f}" for v in row] for row in c.components[pairs].tolist()]
    return [
        [mentors[r].id, mentees[m].id, score, *components]
        for m, r, score, components in zip(
            c.mentee[pairs].tolist(), c.mentor[pairs].tolist(), scores, parts, strict=True
        )
    ]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_all(files: dict[Path, str]) -> None:
    """Write every file or none: each goes to a temporary file first, renamed at the end."""
    temporary: dict[Path, str] = {}
    try:
        for path, text in files.items():
            temporary[path] = _write_temporary(path, text)
        for path, temp in temporary.items():
            os.replace(temp, path)
    except OSError as exc:
        for temp in temporary.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise _Failure([f"cannot write {exc.filename or 'an output file'}: {exc.strerror or exc}"]) from None


def _write_temporary(path: Path, text: str) -> str:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        file.write(text)
    return temp


if __name__ == "__main__":
    sys.exit(main())
