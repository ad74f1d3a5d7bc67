"""Runs: record a run with its settings (and the locks of the run it is based on), solve
it in the request when small or as a job, and store its proposals and quality report."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any, cast

from django.db import transaction
from django.db.models import Max

from matching_engine.explain import iter_explanations, zone_time
from matching_engine.problem import Assignment, Candidates
from matching_engine.report import quality_report
from matching_engine.runs import K, Solved, mentors_with_room, solve_with_locks
from matching_engine.solve import assigned_pairs
from meridian.accounts.models import User
from meridian.core.errors import MeridianError
from meridian.matching import adapter, selectors
from meridian.matching.adapter import CohortProblem
from meridian.matching.models import MatchRun, Proposal, RunStatus
from meridian.programs.models import Cohort

log = logging.getLogger(__name__)

IN_REQUEST_PAIRS = 400_000  # smaller runs finish within the request; larger ones are jobs
UNMATCHED_CHECKS = 2_000_000  # most pairs looked at to tell an unmatched mentee of mentors with room


def run_start(
    *, cohort: Cohort, actor: User, settings: Mapping[str, Any], based_on: MatchRun | None = None
) -> MatchRun:
    """Record a run with its settings (and the locked pairs of ``based_on``, best first:
    when they no longer all fit, the best stay), then solve it now when small, or as a
    background job."""
    settings = dict(settings)
    if based_on is not None:
        locked = (
            based_on.proposals.filter(locked=True)
            .order_by("-score", "pk")
            .values_list("mentee__public_id", "mentor__public_id")
        )
        settings["locked"] = [[str(a), str(b)] for a, b in locked]
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        number = (MatchRun.objects.filter(cohort=cohort).aggregate(n=Max("number"))["n"] or 0) + 1
        run = MatchRun.objects.create(
            cohort=cohort, number=number, created_by=actor, based_on=based_on, settings=settings
        )
    mentees, mentors = selectors.cohort_sides(cohort)
    if mentees * mentors <= IN_REQUEST_PAIRS:
        run_execute(run=run)
    else:
        from meridian.matching.tasks import run_matching

        transaction.on_commit(partial(run_matching.enqueue, run.pk))
    return run


def run_execute(*, run: MatchRun) -> None:
    """Solve ``run`` and store its proposals and quality report; never raises."""
    started = time.perf_counter()
    try:
        _stage(run, 5, "Reading profiles")
        cp = adapter.build(run.cohort, run.settings)
        run.mentees, run.mentors = len(cp.mentees), len(cp.mentors)
        if not cp.mentees or not cp.mentors:
            raise MeridianError(_nobody(cp))
        _stage(run, 25, "Scoring every pair")
        c = cp.problem.candidates(k=K)
        _stage(run, 55, "Finding the best assignment")
        solved = solve_with_locks(
            cp.problem,
            c,
            _locked_indices(cp, run.settings.get("locked", [])),
            mode=cp.settings.mode,
            objective=cp.settings.objective,
            k=K,
        )
        if solved.dropped:
            log.info("matching run %s: %d locked pairs no longer fit", run.pk, len(solved.dropped))
        _stage(run, 75, "Explaining each pair")
        _store(run, cp, solved)
    except MeridianError as exc:
        _fail(run, str(exc))
    except Exception:
        log.exception("matching run %s failed", run.pk)
        _fail(
            run,
            "The run stopped on an unexpected error. Nothing was changed; "
            "try again or tell your administrator.",
        )
    finally:
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["seconds", "mentees", "mentors", "updated_at"])


def _nobody(cp: CohortProblem) -> str:
    if not cp.mentees:
        return "There are no approved mentees without a mentor in this cohort."
    return "No approved mentor in this cohort has room for another mentee."


def _stage(run: MatchRun, percent: int, stage: str) -> None:
    run.status, run.progress, run.stage = RunStatus.RUNNING, percent, stage
    run.save(update_fields=["status", "progress", "stage", "updated_at"])


def _fail(run: MatchRun, message: str) -> None:
    run.status, run.error, run.stage = RunStatus.FAILED, message, ""
    run.save(update_fields=["status", "error", "stage", "updated_at"])


def _locked_indices(cp: CohortProblem, locked: Iterable[list[str]]) -> list[tuple[int, int]]:
    """The locked pairs whose people are both still there (the engine drops the rest of
    those that no longer fit: a pair no longer allowed, a mentor without room)."""
    by_public = {str(e.public_id): e.pk for e in [*cp.mentees, *cp.mentors]}
    found = []
    for mentee_id, mentor_id in locked:
        i = cp.mentee_index(by_public.get(mentee_id, -1))
        j = cp.mentor_index(by_public.get(mentor_id, -1))
        if i is not None and j is not None:
            found.append((i, j))
    return found


def _store(run: MatchRun, cp: CohortProblem, solved: Solved) -> None:
    kept = {(cp.mentees[i].pk, cp.mentors[j].pk) for i, j in solved.kept}
    c, assignment = solved.candidates, solved.assignment
    chosen = assigned_pairs(c, assignment.mentor_of)
    rows = [
        Proposal(
            run=run,
            mentee=cp.mentees[why.mentee],
            mentor=cp.mentors[why.mentor],
            score=why.score,
            components={k: round(v, 4) for k, v in why.components.items()},
            evidence=why.evidence,
            summary=why.summary,
            locked=(cp.mentees[why.mentee].pk, cp.mentors[why.mentor].pk) in kept,
        )
        for why in iter_explanations(cp.problem, c.mentee[chosen], c.mentor[chosen], mentee_time=zone_time)
    ]
    report = run_report(cp, c, assignment)
    with transaction.atomic():
        Proposal.objects.bulk_create(rows, batch_size=2000)
        run.report = report
        run.status, run.progress, run.stage = RunStatus.DONE, 100, ""
        run.matched, run.total = len(rows), float(assignment.total)
        run.optimum, run.upper_bound = float(assignment.total), float(assignment.upper_bound)
        run.save()


def run_report(cp: CohortProblem, c: Candidates, assignment: Assignment) -> dict[str, Any]:
    """The quality report of ``assignment``, as stored on the run: the same function when
    the run is solved and after each of the manager's edits. An unmatched mentee whom an
    allowed mentor with room could still take is told so (after an edit, "would add
    nothing to the total" is no longer true)."""
    report = quality_report(c, assignment, cp.problem.mentees, cp.problem.mentors, problem=cp.problem)
    data = report.to_json()
    unmatched = cast("list[dict[str, Any]]", data.get("unmatched") or [])
    if unmatched:
        free = mentors_with_room(cp.problem, assignment.mentor_of, checks=UNMATCHED_CHECKS)
        index = {p.id: i for i, p in enumerate(cp.problem.mentees)}
        for row in unmatched:
            n = free.get(index.get(row["mentee_id"], -1), 0)
            if n:
                row["reason"] = (
                    "an allowed mentor still has room: see the alternatives"
                    if n == 1
                    else f"{n} allowed mentors still have room: see the alternatives"
                )
    return data
