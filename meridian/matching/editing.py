"""Reviewing a run: lock, exclude, unmatch, move and swap pairs, "why not" and the
alternatives. Every move and swap is planned first (``matching_engine.edits``): the
preview shows the plan and the edit applies the same plan. After every edit the run's
totals and its quality report are computed again from its pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Sum

from matching_engine import edits
from matching_engine.explain import explain_pair, explain_pairs
from matching_engine.problem import Assignment, Mode
from meridian.accounts.models import User
from meridian.matching import adapter, naming
from meridian.matching.adapter import CohortProblem
from meridian.matching.models import Exclusion, MatchRun, Proposal
from meridian.matching.services import K, MatchingError, editable, in_mentee_zone, run_report, with_pairs
from meridian.programs.models import Enrollment

SWAPS_SHOWN = 10  # swaps listed for a pair, best first


def problem_for(run: MatchRun) -> CohortProblem:
    """The run's problem with every approved mentor (full ones too, to say why not)."""
    return adapter.build(run.cohort, run.settings, with_full_mentors=True)


# ---------------------------------------------------------------- the run as the engine sees it


@dataclass(frozen=True)
class Board:
    """A run's pairs as engine positions, with the people behind them."""

    run: MatchRun
    cp: CohortProblem
    current: edits.Current
    proposals: dict[int, Proposal]  # by mentee position
    twins: frozenset[str]

    def name(self, enrollment: Enrollment) -> str:
        return naming.label(enrollment.user, self.twins)

    def mentee(self, i: int) -> Enrollment:
        return self.cp.mentees[i]

    def mentor(self, j: int) -> Enrollment | None:
        return self.cp.mentors[j] if j >= 0 else None

    def change(self, plan: edits.Plan) -> Change:
        """The plan in words and figures, against the run as it is."""
        before = float(self.run.total)
        matched = int((self.current.mentor_of >= 0).sum())
        return Change(
            before=before,
            after=before + plan.delta,
            optimum=float(self.run.optimum if self.run.optimum is not None else before),
            moves=tuple(self._moved(s) for s in plan.steps),
            matched_before=matched,
            matched_after=matched + plan.matched_change,
        )

    def _moved(self, step: edits.Step) -> Moved:
        was, now = self.mentor(step.before), self.mentor(step.after)
        return Moved(
            mentee=self.name(self.mentee(step.mentee)),
            before=self.name(was) if was else None,
            after=self.name(now) if now else None,
            score_before=step.score_before if was else None,
            score_after=step.score_after if now else None,
            enrollment=self.mentee(step.mentee).pk,
        )

    def refusal(self, refused: edits.Refused) -> str:
        """Why an edit cannot be made, naming the people."""
        i, j = refused.pair
        mentee = self.name(self.mentee(i)) if i >= 0 else ""
        mentor = self.name(self.cp.mentors[j]) if j >= 0 else ""
        words = {
            "already": f"{mentee} is already proposed to {mentor}.",
            "locked": f"{mentee}'s pair is locked. Unlock it first.",
            "full": f"{mentor} has no room left: they already mentor as many people as they offered.",
            "all_locked": f"All of {mentor}'s mentees in this run are locked. Unlock one first.",
            "unmatched": f"{mentee} has no mentor in this run to swap.",
            "same_mentor": "Both mentees already have the same mentor.",
        }
        if refused.kind == "forbidden":
            reason = self.cp.problem.forbidden_reason(i, j) or "a rule of this run forbids it"
            return f"{mentee} cannot be matched with {mentor}: {reason}."
        return words.get(refused.kind, "This change cannot be made.")


def board_of(run: MatchRun) -> Board:
    """The run's pairs over its problem (a proposal whose mentee or mentor has left the
    problem stays as it is and keeps its mentor's place)."""
    cp = problem_for(run)
    n = len(cp.mentees)
    mentor_of, score = np.full(n, -1, np.int32), np.zeros(n, np.float64)
    locked, capacity = np.zeros(n, bool), cp.problem.capacity.copy()
    found: dict[int, Proposal] = {}
    for p in run.proposals.select_related("mentee__user__profile", "mentor__user__profile"):
        i, j = cp.mentee_index(p.mentee_id), cp.mentor_index(p.mentor_id)
        if i is None or j is None:
            if j is not None:
                capacity[j] -= 1
            continue
        mentor_of[i], score[i], locked[i], found[i] = j, p.score, p.locked, p
    current = edits.Current(mentor_of, score, locked, np.maximum(capacity, 0))
    return Board(run, cp, current, found, naming.twins(run.cohort))


@dataclass(frozen=True)
class Moved:
    """One mentee whose mentor an edit changes (None: no mentor)."""

    mentee: str
    before: str | None
    after: str | None
    score_before: float | None
    score_after: float | None
    enrollment: int = 0  # the mentee's enrolment


@dataclass(frozen=True)
class Change:
    """What an edit does: the run's total before and after (against the engine's optimum),
    the mentees it moves, and the mentees matched before and after."""

    before: float
    after: float
    optimum: float
    moves: tuple[Moved, ...] = ()
    matched_before: int = 0
    matched_after: int = 0

    @property
    def delta(self) -> float:
        return self.after - self.before

    @property
    def below_optimum(self) -> float:
        return self.optimum - self.after

    @property
    def unmatched(self) -> tuple[str, ...]:
        """The mentees the edit leaves without a mentor."""
        return tuple(m.mentee for m in self.moves if m.after is None)


# ---------------------------------------------------------------- after every edit


def refresh(run: MatchRun) -> None:
    """The run's total, pairs matched and quality report, computed again from its pairs
    as the run was solved (the same report function)."""
    found = run.proposals.aggregate(total=Sum("score"))
    run.total, run.matched = float(found["total"] or 0.0), run.proposals.count()
    run.report = fresh_report(run)
    run.save(update_fields=["total", "matched", "report", "updated_at"])


def fresh_report(run: MatchRun) -> dict[str, Any]:
    """The quality report of the run's pairs as they are now."""
    cp = adapter.build(run.cohort, run.settings)
    mentor_of = np.full(len(cp.mentees), -1, np.int32)
    pairs = []
    for mentee_id, mentor_id in run.proposals.values_list("mentee_id", "mentor_id"):
        i, j = cp.mentee_index(mentee_id), cp.mentor_index(mentor_id)
        if i is not None and j is not None:
            mentor_of[i] = j
            pairs.append((i, j))
    c = with_pairs(cp, cp.problem.candidates(k=K), pairs)
    total = float(cp.problem.pairs([p[0] for p in pairs], [p[1] for p in pairs])[0].astype(np.float64).sum())
    bound = run.upper_bound if run.upper_bound is not None else float("inf")
    mode = Mode(run.report.get("mode") or run.settings.get("mode") or Mode.OPTIMAL)
    return run_report(cp, c, Assignment(mentor_of, total, max(bound, total), mode))


def _apply(board: Board, plan: edits.Plan) -> None:
    """Make the plan's steps: each moved pair scored and explained, unlocked, marked edited."""
    placed = [s for s in plan.steps if s.after >= 0]
    why = {
        w.mentee: w
        for w in explain_pairs(board.cp.problem, [s.mentee for s in placed], [s.after for s in placed])
    }
    for step in plan.steps:
        proposal = board.proposals.get(step.mentee)
        if step.after < 0:
            if proposal is not None:
                proposal.delete()
            continue
        proposal = proposal or Proposal(run=board.run, mentee=board.mentee(step.mentee))
        explained, zone = why[step.mentee], board.cp.problem.mentees[step.mentee].time_zone
        proposal.mentor, proposal.score = board.cp.mentors[step.after], step.score_after
        proposal.summary = in_mentee_zone(explained.summary, zone)
        proposal.components = {k: round(v, 4) for k, v in explained.components.items()}
        proposal.evidence, proposal.edited, proposal.locked = (
            in_mentee_zone(explained.evidence, zone),
            True,
            False,
        )
        proposal.save()
    refresh(board.run)


def _locked_run(run: MatchRun) -> MatchRun:
    """The run, its row locked for this edit (two edits at once apply one after the other)."""
    run = MatchRun.objects.select_for_update().select_related("cohort__program").get(pk=run.pk)
    editable(run)
    return run


# ---------------------------------------------------------------- edits


@transaction.atomic
def toggle_lock(proposal: Proposal) -> Proposal:
    run = _locked_run(proposal.run)
    proposal.locked = not proposal.locked
    proposal.save(update_fields=["locked"])
    refresh(run)
    return proposal


@transaction.atomic
def exclude(*, proposal: Proposal, actor: User, reason: str = "") -> Exclusion:
    """Rule the pair out for the cohort's future runs and take it out of this one."""
    run = _locked_run(proposal.run)
    exclusion, _ = Exclusion.objects.get_or_create(
        cohort=run.cohort,
        mentee=proposal.mentee,
        mentor=proposal.mentor,
        defaults={"created_by": actor, "reason": reason[:300]},
    )
    proposal.delete()
    refresh(run)
    return exclusion


@transaction.atomic
def unmatch(*, proposal: Proposal) -> None:
    run = _locked_run(proposal.run)
    proposal.delete()
    refresh(run)


def _move_plan(board: Board, mentee: Enrollment, mentor: Enrollment) -> edits.Plan:
    i, j = board.cp.mentee_index(mentee.pk), board.cp.mentor_index(mentor.pk)
    if i is None or j is None:
        raise MatchingError(
            "One of these people is no longer an approved member of the cohort without a mentor."
        )
    try:
        return edits.plan_move(board.cp.problem, board.current, i, j)
    except edits.Refused as refused:
        raise MatchingError(board.refusal(refused)) from None


def preview_move(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> Change:
    """What :func:`move` would do, without doing it."""
    board = board_of(run)
    return board.change(_move_plan(board, mentee, mentor))


@transaction.atomic
def move(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> Change:
    """Give ``mentee`` (matched in this run or not) to ``mentor``. When the mentor is full,
    the unlocked mentee of theirs whose leaving costs least goes to their best mentor
    with room, or is left unmatched when none has room."""
    board = board_of(_locked_run(run))
    plan = _move_plan(board, mentee, mentor)
    change = board.change(plan)
    _apply(board, plan)
    return change


@transaction.atomic
def swap(*, first: Proposal, second: Proposal) -> Change:
    """Swap the mentors of two proposed pairs (the swap list's own figures)."""
    run = _locked_run(first.run)
    if first.pk == second.pk or second.run_id != run.pk:
        raise MatchingError("Choose two different pairs of this run.")
    board = board_of(run)
    i, k = board.cp.mentee_index(first.mentee_id), board.cp.mentee_index(second.mentee_id)
    if i is None or k is None:
        raise MatchingError(
            "One of these people is no longer an approved member of the cohort without a mentor."
        )
    try:
        plan = edits.plan_swap(board.cp.problem, board.current, i, k)
    except edits.Refused as refused:
        raise MatchingError(board.refusal(refused)) from None
    change = board.change(plan)
    _apply(board, plan)
    return change


# ---------------------------------------------------------------- what the manager may do


@dataclass(frozen=True)
class SwapOption:
    """Swapping mentors with ``partner``'s pair, and what it does."""

    partner: Proposal
    partner_name: str
    partner_mentor: str
    change: Change


@dataclass(frozen=True)
class SwapList:
    """The allowed swaps of one pair, best first (the first ``SWAPS_SHOWN``)."""

    proposal: Proposal
    options: list[SwapOption]
    allowed: int
    forbidden: int
    locked: int
    pair_locked: bool = False
    names: dict[str, str] = field(default_factory=dict)


def swap_list(*, run: MatchRun, proposal: Proposal, limit: int = SWAPS_SHOWN) -> SwapList:
    """Every swap of ``proposal``'s mentor with another pair's, scored in one batch."""
    board = board_of(run)
    i = board.cp.mentee_index(proposal.mentee_id)
    if i is None:
        return SwapList(proposal, [], 0, 0, 0)
    swaps = edits.swap_options(board.cp.problem, board.current, i)
    options = []
    for at in range(min(limit, len(swaps.partner))):
        partner = board.proposals[int(swaps.partner[at])]
        options.append(
            SwapOption(
                partner,
                board.name(partner.mentee),
                board.name(partner.mentor),
                board.change(edits.swap_plan(swaps, board.current, at)),
            )
        )
    return SwapList(
        proposal,
        options,
        len(swaps.partner),
        swaps.forbidden,
        swaps.locked,
        pair_locked=bool(board.current.locked[i]),
        names={"mentee": board.name(proposal.mentee), "mentor": board.name(proposal.mentor)},
    )


@dataclass(frozen=True)
class WhyNot:
    """The answer to "why not this mentor for this mentee?": the rule that forbids the
    pair, or what moving the mentee there does (the plan the Move button applies)."""

    mentee: Enrollment
    mentor: Enrollment
    score: float | None = None
    forbidden: str | None = None  # the rule that forbids the pair, in words
    blocked: str | None = None  # why the move cannot be made, a sentence
    change: Change | None = None
    evidence: dict[str, str] | None = None


def why_not(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> WhyNot:
    """Why ``mentee`` was not given ``mentor``, and what moving them there would do."""
    board = board_of(run)
    i, j = board.cp.mentee_index(mentee.pk), board.cp.mentor_index(mentor.pk)
    if i is None or j is None:
        return WhyNot(
            mentee, mentor, forbidden="one of them is no longer an approved member without a mentor"
        )
    why = explain_pair(board.cp.problem, i, j)
    evidence = in_mentee_zone(why.evidence, mentee.user.time_zone)
    if not why.allowed:
        return WhyNot(mentee, mentor, why.score, forbidden=why.forbidden, evidence=evidence)
    try:
        change = board.change(edits.plan_move(board.cp.problem, board.current, i, j))
    except edits.Refused as refused:
        return WhyNot(mentee, mentor, why.score, blocked=board.refusal(refused), evidence=evidence)
    return WhyNot(mentee, mentor, why.score, change=change, evidence=evidence)


@dataclass(frozen=True)
class Alternative:
    mentor: Enrollment
    name: str
    score: float
    summary: str
    taken: int  # mentees this mentor has in the run
    room: int  # mentees the mentor can take in the run
    change: Change | None  # what moving the mentee there does; None when it cannot be made


def alternatives(*, run: MatchRun, mentee: Enrollment, limit: int = 10) -> list[Alternative]:
    """The mentee's best allowed mentors other than the proposed one, best first, each
    with what moving the mentee there does."""
    board = board_of(run)
    i = board.cp.mentee_index(mentee.pk)
    if i is None:
        return []
    scores, _, allowed = board.cp.problem.scores_for(i)
    mine = int(board.current.mentor_of[i])
    order = [int(j) for j in np.argsort(-scores, kind="stable") if allowed[j] and j != mine][:limit]
    load = board.current.load()
    found = []
    for why in explain_pairs(board.cp.problem, [i] * len(order), order):
        j, mentor = why.mentor, board.cp.mentors[why.mentor]
        try:
            change: Change | None = board.change(edits.plan_move(board.cp.problem, board.current, i, j))
        except edits.Refused:
            change = None
        summary = in_mentee_zone(why.summary, mentee.user.time_zone)
        room = int(board.current.capacity[j])
        found.append(Alternative(mentor, board.name(mentor), why.score, summary, int(load[j]), room, change))
    return found
