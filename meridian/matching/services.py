"""Matching workflows: run the engine over a cohort, review its proposals (lock, exclude,
swap, move, "why not"), re-run around the locks, and publish the mentorships."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from matching_engine.explain import PairExplanation, iter_explanations
from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.report import quality_report
from matching_engine.solve import assigned_pairs, mentor_cutoffs, solve_optimal
from matching_engine.stable import deferred_acceptance, stable_match
from meridian.accounts.models import User
from meridian.matching import adapter
from meridian.matching.adapter import CohortProblem
from meridian.matching.models import MatchRun, Proposal, RunStatus
from meridian.matching.naming import label_of
from meridian.programs.models import Cohort, Enrollment

log = logging.getLogger(__name__)

K = 40  # candidate mentors per mentee (and mentees per mentor) on large cohorts
IN_REQUEST_PAIRS = 400_000  # smaller runs finish within the request; larger ones are jobs
IN_REQUEST_INTRODUCTIONS = 50  # mentorships whose introductions go out within the request
UNMATCHED_CHECKS = 2_000_000  # most pairs looked at to tell an unmatched mentee of mentors with room


class MatchingError(Exception):
    """A rule was broken; the message is shown as it is."""


# ---------------------------------------------------------------- runs


def start_run(
    *, cohort: Cohort, actor: User, settings: Mapping[str, Any], based_on: MatchRun | None = None
) -> MatchRun:
    """Record a run with its settings (and the locked pairs of ``based_on``), then solve
    it now when small, or as a background job."""
    settings = dict(settings)
    if based_on is not None:
        locked = based_on.proposals.filter(locked=True).values_list("mentee__public_id", "mentor__public_id")
        settings["locked"] = [[str(a), str(b)] for a, b in locked]
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        number = (MatchRun.objects.filter(cohort=cohort).aggregate(n=Max("number"))["n"] or 0) + 1
        run = MatchRun.objects.create(
            cohort=cohort, number=number, created_by=actor, based_on=based_on, settings=settings
        )
    size = sides(cohort)
    if size[0] * size[1] <= IN_REQUEST_PAIRS:
        execute_run(run)
    else:
        from meridian.matching.tasks import run_matching

        transaction.on_commit(partial(run_matching.enqueue, run.pk))
    return run


def sides(cohort: Cohort) -> tuple[int, int]:
    members = Enrollment.objects.filter(cohort=cohort, status="approved")
    return members.filter(role="mentee").count(), members.filter(role="mentor").count()


def execute_run(run: MatchRun) -> None:
    """Solve ``run`` and store its proposals and quality report; never raises."""
    started = time.perf_counter()
    try:
        _stage(run, 5, "Reading profiles")
        cp = adapter.build(run.cohort, run.settings)
        run.mentees, run.mentors = len(cp.mentees), len(cp.mentors)
        if not cp.mentees or not cp.mentors:
            raise MatchingError(_nobody(cp))
        _stage(run, 25, "Scoring every pair")
        c = cp.problem.candidates(k=K)
        _stage(run, 55, "Finding the best assignment")
        assignment, c = _solve(cp, c, _locked_indices(cp, run.settings.get("locked", [])))
        _stage(run, 75, "Explaining each pair")
        _store(run, cp, c, assignment)
    except MatchingError as exc:
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
    """The locked pairs still possible (both still there, the pair still allowed)."""
    by_public = {str(e.public_id): e.pk for e in [*cp.mentees, *cp.mentors]}
    found = []
    for mentee_id, mentor_id in locked:
        i = cp.mentee_index(by_public.get(mentee_id, -1))
        j = cp.mentor_index(by_public.get(mentor_id, -1))
        if i is not None and j is not None and cp.problem.pair(i, j).allowed:
            found.append((i, j))
    return found


def _solve(cp: CohortProblem, c: Candidates, locked: list[tuple[int, int]]) -> tuple[Assignment, Candidates]:
    """The run's assignment and the candidate pairs it was solved over (a stable matching
    may add pairs that pruning left out, so that none of all the allowed pairs blocks it)."""
    c = with_pairs(cp, c, locked)
    cutoff = None if c.complete else mentor_cutoffs(c, K)
    best = solve_optimal(c, objective=cp.settings.objective, locked=locked, mentor_cutoff=cutoff)
    if cp.settings.mode is not Mode.STABLE:
        return best, c
    if locked:  # stable among the rest, around the manager's locks
        return replace(_stable_around(c, locked), upper_bound=best.upper_bound), c
    stable, grown = stable_match(cp.problem, c, k=K)
    return replace(stable, upper_bound=max(best.upper_bound, stable.total)), grown


def with_pairs(cp: CohortProblem, c: Candidates, pairs: list[tuple[int, int]]) -> Candidates:
    """``c`` with ``pairs`` added when pruning left them out (locks must be candidates)."""
    have = set(zip(c.mentee.tolist(), c.mentor.tolist(), strict=True))
    missing = [p for p in pairs if p not in have]
    if not missing:
        return c
    rows, cols = np.array([p[0] for p in missing], np.int32), np.array([p[1] for p in missing], np.int32)
    score, components, _ = cp.problem.pairs(rows, cols)
    return replace(
        c,
        mentee=np.concatenate([c.mentee, rows]),
        mentor=np.concatenate([c.mentor, cols]),
        score=np.concatenate([c.score, score]),
        components=np.concatenate([c.components, components]),
    )


def _stable_around(c: Candidates, locked: list[tuple[int, int]]) -> Assignment:
    """Deferred acceptance for everyone but the locked mentees, in the room locks leave."""
    capacity = c.capacity.copy()
    keep = np.ones(len(c.mentee), bool)
    for i, j in locked:
        capacity[j] -= 1
        keep &= c.mentee != i
    rest = replace(
        c,
        mentee=c.mentee[keep],
        mentor=c.mentor[keep],
        score=c.score[keep],
        components=c.components[keep],
        capacity=np.maximum(capacity, 0),
    )
    found = deferred_acceptance(rest)
    mentor_of = found.mentor_of.copy()
    for i, j in locked:
        mentor_of[i] = j
    chosen = assigned_pairs(c, mentor_of)
    return replace(found, mentor_of=mentor_of, total=float(c.score[chosen].astype(np.float64).sum()))


def _store(run: MatchRun, cp: CohortProblem, c: Candidates, assignment: Assignment) -> None:
    locked = {tuple(p) for p in run.settings.get("locked", [])}
    chosen = assigned_pairs(c, assignment.mentor_of)
    rows = [
        _proposal(run, cp, why, locked)
        for why in iter_explanations(cp.problem, c.mentee[chosen], c.mentor[chosen])
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
    the run is solved and after each of the manager's edits."""
    report = quality_report(c, assignment, cp.problem.mentees, cp.problem.mentors, problem=cp.problem)
    data = report.to_json()
    data["unmatched"] = _with_room_named(cp, assignment, data.get("unmatched", []))
    return data


def _with_room_named(cp: CohortProblem, assignment: Assignment, unmatched: Any) -> Any:
    """An unmatched mentee whom an allowed mentor with room could still take is told so
    (after an edit, "would add nothing to the total" is no longer true)."""
    if not unmatched:
        return unmatched
    load = np.bincount(assignment.mentor_of[assignment.mentor_of >= 0], minlength=len(cp.mentors))
    room = load < cp.problem.capacity
    left = np.flatnonzero(assignment.mentor_of < 0)
    if not room.any() or len(left) * int(room.sum()) > UNMATCHED_CHECKS:
        return unmatched
    cols = np.flatnonzero(room)
    allowed = cp.problem.pairs(np.repeat(left, len(cols)), np.tile(cols, len(left)))[2]
    free = dict(zip(left.tolist(), allowed.reshape(len(left), len(cols)).sum(axis=1).tolist(), strict=True))
    index = {p.id: i for i, p in enumerate(cp.problem.mentees)}
    for row in unmatched:
        n = free.get(index.get(row["mentee_id"], -1), 0)
        if n:
            row["reason"] = (
                "an allowed mentor still has room: see the alternatives"
                if n == 1
                else f"{n} allowed mentors still have room: see the alternatives"
            )
    return unmatched


def _proposal(
    run: MatchRun, cp: CohortProblem, why: PairExplanation, locked: set[tuple[Any, ...]]
) -> Proposal:
    mentee, mentor = cp.mentees[why.mentee], cp.mentors[why.mentor]
    zone = cp.problem.mentees[why.mentee].time_zone
    return Proposal(
        run=run,
        mentee=mentee,
        mentor=mentor,
        score=why.score,
        components={k: round(v, 4) for k, v in why.components.items()},
        evidence=in_mentee_zone(why.evidence, zone),
        summary=in_mentee_zone(why.summary, zone),
        locked=(str(mentee.public_id), str(mentor.public_id)) in locked,
    )


def in_mentee_zone(words: Any, zone: str) -> Any:
    """The engine speaks to the mentee ("your time"); the pages and emails that show these
    words are read by managers and mentors too, so name the mentee's zone instead."""
    if isinstance(words, dict):
        return {k: in_mentee_zone(v, zone) for k, v in words.items()}
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return str(words).replace("your time", f"{city} time")


# ---------------------------------------------------------------- review


def editable(run: MatchRun) -> None:
    """Refuse in words to change a run that is not ready for review."""
    if run.status != RunStatus.DONE:
        raise MatchingError("This run can no longer be changed: start a new run to make changes.")


# ---------------------------------------------------------------- publishing


@dataclass(frozen=True)
class Published:
    mentorships: int
    mentees: int
    skipped: int  # mentees already in a current mentorship


def publish(*, run: MatchRun, actor: User, notify: bool = True) -> Published:
    """Create the mentorships of ``run`` and email everyone an introduction. Publishing
    the same run twice, or a mentee matched meanwhile, moves nobody twice."""
    from meridian.matching.introductions import send_introductions
    from meridian.matching.tasks import introduce
    from meridian.mentorships.services import Batch, MentorshipError, start_many

    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.PUBLISHED:
            return Published(0, 0, run.matched)
        editable(run)
        proposals = list(run.proposals.select_related("mentee", "mentor__cohort__program").order_by("pk"))
        by_mentor: dict[int, list[Proposal]] = {}
        for p in proposals:
            by_mentor.setdefault(p.mentor_id, []).append(p)
        group = run.cohort.program.kind == "group"
        batches = [
            Batch(
                batch[0].mentor,
                [p.mentee for p in batch],
                sum(p.score for p in batch) / len(batch),
                batch[0].summary if len(batch) == 1 else "",
            )
            for pairs in by_mentor.values()
            for batch in ([pairs] if group else [[p] for p in pairs])
        ]
        try:
            started, skipped = start_many(batches)
        except MentorshipError as exc:  # someone was matched at the same moment
            raise MatchingError(str(exc)) from None
        run.status, run.published_at, run.published_by = RunStatus.PUBLISHED, timezone.now(), actor
        run.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        if notify:
            mentorships = sorted({s.mentorship.pk for s in started})
            if len(mentorships) <= IN_REQUEST_INTRODUCTIONS:
                transaction.on_commit(partial(send_introductions, run.pk, mentorships))
            else:
                transaction.on_commit(partial(introduce.enqueue, run.pk, mentorships))
    return Published(
        len({s.mentorship.pk for s in started}), sum(len(s.new_mentees) for s in started), skipped
    )


@dataclass(frozen=True)
class Difference:
    mentee: str
    mentor_a: str | None
    mentor_b: str | None
    score_a: float | None
    score_b: float | None


@dataclass(frozen=True)
class Comparison:
    settings: list[tuple[str, Any, Any]]  # (setting, in A, in B) where they differ
    same: int  # mentees with the same mentor in both
    differences: list[Difference]  # the first COMPARE_ROWS mentees matched differently
    different: int


COMPARE_ROWS = 200


def compare(a: MatchRun, b: MatchRun, *, twins: frozenset[str] = frozenset()) -> Comparison:
    """What differs between two runs of a cohort: settings and mentees' mentors (people
    who share a name told apart, see ``naming``)."""
    flat_a, flat_b = _flat(a.settings), _flat(b.settings)
    changed = [
        (k, flat_a.get(k), flat_b.get(k))
        for k in sorted(set(flat_a) | set(flat_b))
        if flat_a.get(k) != flat_b.get(k)
    ]
    rows: dict[int, list[Any]] = {}
    for run, side in ((a, 0), (b, 1)):
        for (
            mentee,
            name,
            email,
            hr_id,
            mentor_name,
            mentor_email,
            mentor_hr_id,
            score,
        ) in run.proposals.values_list(
            "mentee_id",
            "mentee__user__name",
            "mentee__user__email",
            "mentee__user__profile__external_id",
            "mentor__user__name",
            "mentor__user__email",
            "mentor__user__profile__external_id",
            "score",
        ):
            mentor = label_of(mentor_name, mentor_email, mentor_hr_id, twins)
            rows.setdefault(mentee, [label_of(name, email, hr_id, twins), None, None, None, None])
            rows[mentee][1 + side], rows[mentee][3 + side] = mentor, score
    different = [Difference(*r) for r in rows.values() if r[1] != r[2]]
    different.sort(key=lambda d: d.mentee)
    return Comparison(changed, len(rows) - len(different), different[:COMPARE_ROWS], len(different))


def _flat(settings: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "locked":
            flat["locked pairs"] = len(value)
        elif isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat
