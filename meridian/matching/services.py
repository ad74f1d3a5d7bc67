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
from django.db.models import Max, Sum
from django.utils import timezone

from matching_engine.explain import PairExplanation, explain_pair, explain_pairs, iter_explanations
from matching_engine.problem import Assignment, Candidates, Mode
from matching_engine.report import quality_report
from matching_engine.solve import assigned_pairs, mentor_cutoffs, solve_optimal
from matching_engine.stable import deferred_acceptance, stable_match
from meridian.accounts.models import User
from meridian.matching import adapter
from meridian.matching.adapter import CohortProblem
from meridian.matching.models import Exclusion, MatchRun, Proposal, RunStatus
from meridian.programs.models import Cohort, Enrollment

log = logging.getLogger(__name__)

K = 40  # candidate mentors per mentee (and mentees per mentor) on large cohorts
IN_REQUEST_PAIRS = 400_000  # smaller runs finish within the request; larger ones are jobs
IN_REQUEST_INTRODUCTIONS = 50  # mentorships whose introductions go out within the request


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
    c = _with_pairs(cp, c, locked)
    cutoff = None if c.complete else mentor_cutoffs(c, K)
    best = solve_optimal(c, objective=cp.settings.objective, locked=locked, mentor_cutoff=cutoff)
    if cp.settings.mode is not Mode.STABLE:
        return best, c
    if locked:  # stable among the rest, around the manager's locks
        return replace(_stable_around(c, locked), upper_bound=best.upper_bound), c
    stable, grown = stable_match(cp.problem, c, k=K)
    return replace(stable, upper_bound=max(best.upper_bound, stable.total)), grown


def _with_pairs(cp: CohortProblem, c: Candidates, pairs: list[tuple[int, int]]) -> Candidates:
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
    report = quality_report(c, assignment, cp.problem.mentees, cp.problem.mentors, problem=cp.problem)
    with transaction.atomic():
        Proposal.objects.bulk_create(rows, batch_size=2000)
        run.report = report.to_json()
        run.status, run.progress, run.stage = RunStatus.DONE, 100, ""
        run.matched, run.total = len(rows), float(assignment.total)
        run.optimum, run.upper_bound = float(assignment.total), float(assignment.upper_bound)
        run.save()


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


def _editable(run: MatchRun) -> None:
    if run.status != RunStatus.DONE:
        raise MatchingError("This run can no longer be changed: start a new run to make changes.")


def refresh_totals(run: MatchRun) -> None:
    found = run.proposals.aggregate(total=Sum("score"))
    run.total, run.matched = float(found["total"] or 0.0), run.proposals.count()
    run.save(update_fields=["total", "matched", "updated_at"])


def toggle_lock(proposal: Proposal) -> Proposal:
    _editable(proposal.run)
    proposal.locked = not proposal.locked
    proposal.save(update_fields=["locked"])
    return proposal


@transaction.atomic
def exclude(*, proposal: Proposal, actor: User, reason: str = "") -> Exclusion:
    """Rule the pair out for the cohort's future runs and take it out of this one."""
    run = proposal.run
    _editable(run)
    exclusion, _ = Exclusion.objects.get_or_create(
        cohort=run.cohort,
        mentee=proposal.mentee,
        mentor=proposal.mentor,
        defaults={"created_by": actor, "reason": reason[:300]},
    )
    proposal.delete()
    refresh_totals(run)
    return exclusion


@dataclass(frozen=True)
class Change:
    """What an edit does to the run's total, against the engine's optimum."""

    before: float
    after: float
    optimum: float

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def below_optimum(self) -> float:
        return self.optimum - self.after


def _rescore(cp: CohortProblem, proposal: Proposal, mentor: Enrollment) -> None:
    """Point ``proposal`` at ``mentor``, scored and explained, or refuse in words."""
    i, j = cp.mentee_index(proposal.mentee_id), cp.mentor_index(mentor.pk)
    if i is None or j is None:
        raise MatchingError("One of these people is no longer an approved member of the cohort.")
    why = explain_pair(cp.problem, i, j)
    if not why.allowed:
        raise MatchingError(
            f"{proposal.mentee.user.name} cannot be matched with {mentor.user.name}: {why.forbidden}."
        )
    zone = cp.problem.mentees[i].time_zone
    proposal.mentor, proposal.score, proposal.summary = mentor, why.score, in_mentee_zone(why.summary, zone)
    proposal.components = {k: round(v, 4) for k, v in why.components.items()}
    proposal.evidence, proposal.edited = in_mentee_zone(why.evidence, zone), True


def _problem_for(run: MatchRun) -> CohortProblem:
    return adapter.build(run.cohort, run.settings, with_full_mentors=True)


@transaction.atomic
def swap(*, first: Proposal, second: Proposal) -> Change:
    """Swap the mentors of two proposed pairs."""
    run = first.run
    _editable(run)
    if first.pk == second.pk or second.run_id != run.pk:
        raise MatchingError("Choose two different pairs of this run.")
    if first.mentor_id == second.mentor_id:
        raise MatchingError("Both mentees already have the same mentor.")
    before = run.total
    cp = _problem_for(run)
    mentor_a, mentor_b = first.mentor, second.mentor
    _rescore(cp, first, mentor_b)
    _rescore(cp, second, mentor_a)
    first.locked = second.locked = False
    first.save()
    second.save()
    refresh_totals(run)
    return Change(before, run.total, run.optimum or run.total)


@dataclass(frozen=True)
class Moved(Change):
    displaced: str | None = None  # the mentee who made room, now unmatched


@transaction.atomic
def move(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> Moved:
    """Give ``mentee`` (matched in this run or not) to ``mentor``. When the mentor is full
    in this run, their lowest-scoring unlocked mentee makes room and is left unmatched."""
    _editable(run)
    before = run.total
    cp = _problem_for(run)
    proposal = run.proposals.filter(mentee=mentee).first()
    if proposal is not None and proposal.mentor_id == mentor.pk:
        raise MatchingError(f"{mentee.user.name} is already proposed to {mentor.user.name}.")
    room = adapter.mentor_room(run.cohort).get(mentor.pk, 0)
    if cp.mentor_index(mentor.pk) is None or room == 0:
        raise MatchingError(
            f"{mentor.user.name} has no room left: they already mentor as many people as they offered."
        )
    proposal = proposal or Proposal(run=run, mentee=mentee)
    _rescore(cp, proposal, mentor)
    displaced = None
    theirs = run.proposals.filter(mentor=mentor).exclude(mentee=mentee)
    if theirs.count() >= room:
        out = theirs.filter(locked=False).select_related("mentee__user").order_by("score").first()
        if out is None:
            raise MatchingError(
                f"All of {mentor.user.name}'s mentees in this run are locked. Unlock one first."
            )
        displaced = out.mentee.user.name
        out.delete()
    proposal.locked = False
    proposal.save()
    refresh_totals(run)
    return Moved(before, run.total, run.optimum or run.total, displaced)


@transaction.atomic
def unmatch(*, proposal: Proposal) -> None:
    run = proposal.run
    _editable(run)
    proposal.delete()
    refresh_totals(run)


@dataclass(frozen=True)
class WhyNot:
    """The answer to "why not this mentor for this mentee?"."""

    mentee: Enrollment
    mentor: Enrollment
    score: float | None = None
    forbidden: str | None = None  # the constraint that forbids the pair, in words
    drop: float = 0.0  # how much the run's best total falls if the pair is forced
    displaced: tuple[str, ...] = ()  # the mentees who would lose or change their mentor
    evidence: Mapping[str, str] | None = None


def why_not(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> WhyNot:
    """Why ``mentee`` was not given ``mentor``: the constraint that forbids it, or what
    forcing the pair costs the total and who it displaces (a re-solve with the pair and
    the run's locks fixed)."""
    cp = _problem_for(run)
    i, j = cp.mentee_index(mentee.pk), cp.mentor_index(mentor.pk)
    if i is None or j is None:
        return WhyNot(
            mentee, mentor, forbidden="one of them is no longer an approved member without a mentor"
        )
    why = explain_pair(cp.problem, i, j)
    if not why.allowed:
        return WhyNot(
            mentee,
            mentor,
            score=why.score,
            forbidden=why.forbidden,
            evidence=in_mentee_zone(why.evidence, mentee.user.time_zone),
        )
    if cp.problem.capacity[j] <= 0:
        return WhyNot(
            mentee,
            mentor,
            score=why.score,
            evidence=in_mentee_zone(why.evidence, mentee.user.time_zone),
            forbidden=f"{mentor.user.name} already mentors as many people as they offered",
        )
    current = dict(run.proposals.values_list("mentee_id", "mentor_id"))
    locked = [
        (cp.mentee_index(a), cp.mentor_index(b))
        for a, b in run.proposals.filter(locked=True)
        .exclude(mentee=mentee)
        .values_list("mentee_id", "mentor_id")
    ]
    pinned = [(a, b) for a, b in locked if a is not None and b is not None]
    forced = _forced(cp, (i, j), pinned)
    displaced = []
    for k, e in enumerate(cp.mentees):
        had = current.get(e.pk)
        now = forced.mentor_of[k]
        if k != i and had is not None and (now < 0 or cp.mentors[now].pk != had):
            displaced.append(e.user.name)
    best = run.optimum if run.optimum is not None else run.total
    return WhyNot(
        mentee,
        mentor,
        score=why.score,
        drop=max(0.0, best - forced.total),
        displaced=tuple(displaced),
        evidence=in_mentee_zone(why.evidence, mentee.user.time_zone),
    )


def _forced(cp: CohortProblem, pair: tuple[int, int], pinned: list[tuple[int, int]]) -> Assignment:
    """The best assignment with ``pair`` fixed, keeping the locks that still fit."""
    for locks in ([pair, *pinned], [pair, *[p for p in pinned if p[1] != pair[1]]]):
        c = _with_pairs(cp, cp.problem.candidates(k=K), locks)
        try:
            return solve_optimal(c, objective=cp.settings.objective, locked=locks)
        except ValueError:  # the locks overfill the mentor: keep only the pair asked about
            continue
    raise MatchingError("This pair cannot be placed alongside the locked pairs.")


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
        _editable(run)
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
class Alternative:
    mentor: Enrollment
    score: float
    summary: str
    taken: int  # mentees this mentor has in the run
    room: int  # mentees the mentor can take in the run


def alternatives(*, run: MatchRun, mentee: Enrollment, limit: int = 10) -> list[Alternative]:
    """The mentee's best allowed mentors other than the proposed one, best first."""
    cp = _problem_for(run)
    i = cp.mentee_index(mentee.pk)
    if i is None:
        return []
    scores, _, allowed = cp.problem.scores_for(i)
    current = run.proposals.filter(mentee=mentee).values_list("mentor_id", flat=True).first()
    order = [int(j) for j in np.argsort(-scores, kind="stable") if allowed[j] and cp.mentors[j].pk != current]
    load: dict[int, int] = {}
    for mentor_id in run.proposals.values_list("mentor_id", flat=True):
        load[mentor_id] = load.get(mentor_id, 0) + 1
    room = adapter.mentor_room(run.cohort)
    top = order[:limit]
    found = []
    for why in explain_pairs(cp.problem, [i] * len(top), top):
        mentor = cp.mentors[why.mentor]
        taken, space = load.get(mentor.pk, 0), room.get(mentor.pk, 0)
        found.append(
            Alternative(mentor, why.score, in_mentee_zone(why.summary, mentee.user.time_zone), taken, space)
        )
    return found


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


def compare(a: MatchRun, b: MatchRun) -> Comparison:
    """What differs between two runs of a cohort: settings and mentees' mentors."""
    flat_a, flat_b = _flat(a.settings), _flat(b.settings)
    changed = [
        (k, flat_a.get(k), flat_b.get(k))
        for k in sorted(set(flat_a) | set(flat_b))
        if flat_a.get(k) != flat_b.get(k)
    ]
    rows: dict[int, list[Any]] = {}
    for run, side in ((a, 0), (b, 1)):
        for mentee, name, mentor, score in run.proposals.values_list(
            "mentee_id", "mentee__user__name", "mentor__user__name", "score"
        ):
            rows.setdefault(mentee, [name, None, None, None, None])
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
