"""Review: a manager's edits to a run before it is published (lock, exclude, unmatch, move
and swap pairs). Every move and swap applies the plan its preview showed (see
``meridian.matching.editing``); after every edit the run's totals and its quality report
are computed again from its pairs, by the function that reported the run when it was solved."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Sum

from matching_engine import edits
from matching_engine.explain import explain_pairs, zone_time
from matching_engine.problem import Assignment, Mode
from matching_engine.runs import K, with_pairs
from meridian.accounts.models import User
from meridian.core.errors import MeridianError
from meridian.matching import adapter
from meridian.matching.editing import Board, Change, board_of, move_plan
from meridian.matching.models import Exclusion, MatchRun, Proposal
from meridian.matching.services.runs import run_report
from meridian.programs.models import Enrollment


def editable(run: MatchRun) -> None:
    """Refuse in words to change (or publish) a run that is not ready for review: the rule
    is ``run.is_editable``, which the review page asks too."""
    if not run.is_editable:
        raise MeridianError("This run can no longer be changed: start a new run to make changes.")


@transaction.atomic
def proposal_lock_toggle(*, proposal: Proposal) -> Proposal:
    """Lock the pair (a re-run keeps it) or unlock it."""
    run = _locked_run(proposal.run)
    proposal.locked = not proposal.locked
    proposal.save(update_fields=["locked"])
    _refresh(run)
    return proposal


@transaction.atomic
def proposal_exclude(*, proposal: Proposal, actor: User, reason: str = "") -> Exclusion:
    """Rule the pair out for the cohort's future runs and take it out of this one."""
    run = _locked_run(proposal.run)
    exclusion, _ = Exclusion.objects.get_or_create(
        cohort=run.cohort,
        mentee=proposal.mentee,
        mentor=proposal.mentor,
        defaults={"created_by": actor, "reason": reason[:300]},
    )
    proposal.delete()
    _refresh(run)
    return exclusion


@transaction.atomic
def proposal_unmatch(*, proposal: Proposal) -> None:
    run = _locked_run(proposal.run)
    proposal.delete()
    _refresh(run)


@transaction.atomic
def run_move(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> Change:
    """Give ``mentee`` (matched in this run or not) to ``mentor``. When the mentor is full,
    the unlocked mentee of theirs whose leaving costs least goes to their best mentor
    with room, or is left unmatched when none has room."""
    board = board_of(_locked_run(run))
    plan = move_plan(board, mentee, mentor)
    change = board.change(plan)
    _apply(board, plan)
    return change


@transaction.atomic
def proposal_swap(*, first: Proposal, second: Proposal) -> Change:
    """Swap the mentors of two proposed pairs (the swap list's own figures)."""
    run = _locked_run(first.run)
    if first.pk == second.pk or second.run_id != run.pk:
        raise MeridianError("Choose two different pairs of this run.")
    board = board_of(run)
    i, k = board.cp.mentee_index(first.mentee_id), board.cp.mentee_index(second.mentee_id)
    if i is None or k is None:
        raise MeridianError(
            "One of these people is no longer an approved member of the cohort without a mentor."
        )
    try:
        plan = edits.plan_swap(board.cp.problem, board.current, i, k)
    except edits.Refused as refused:
        raise MeridianError(board.refusal(refused)) from None
    change = board.change(plan)
    _apply(board, plan)
    return change


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
    c = with_pairs(cp.problem, cp.problem.candidates(k=K), pairs)
    total = float(cp.problem.pairs([p[0] for p in pairs], [p[1] for p in pairs])[0].astype(np.float64).sum())
    bound = run.upper_bound if run.upper_bound is not None else float("inf")
    mode = Mode(run.report.get("mode") or run.settings.get("mode") or Mode.OPTIMAL)
    return run_report(cp, c, Assignment(mentor_of, total, max(bound, total), mode))


def _refresh(run: MatchRun) -> None:
    """The run's total, pairs matched and quality report, computed again from its pairs
    as the run was solved (the same report function)."""
    found = run.proposals.aggregate(total=Sum("score"))
    run.total, run.matched = float(found["total"] or 0.0), run.proposals.count()
    run.report = fresh_report(run)
    run.save(update_fields=["total", "matched", "report", "updated_at"])


def _apply(board: Board, plan: edits.Plan) -> None:
    """Make the plan's steps: each moved pair scored and explained, unlocked, marked edited."""
    placed = [s for s in plan.steps if s.after >= 0]
    why = {
        w.mentee: w
        for w in explain_pairs(
            board.cp.problem, [s.mentee for s in placed], [s.after for s in placed], mentee_time=zone_time
        )
    }
    for step in plan.steps:
        proposal = board.proposals.get(step.mentee)
        if step.after < 0:
            if proposal is not None:
                proposal.delete()
            continue
        proposal = proposal or Proposal(run=board.run, mentee=board.mentee(step.mentee))
        explained = why[step.mentee]
        proposal.mentor, proposal.score = board.cp.mentors[step.after], step.score_after
        proposal.summary, proposal.evidence = explained.summary, explained.evidence
        proposal.components = {k: round(v, 4) for k, v in explained.components.items()}
        proposal.edited, proposal.locked = True, False
        proposal.save()
    _refresh(board.run)


def _locked_run(run: MatchRun) -> MatchRun:
    """The run, its row locked for this edit (two edits at once apply one after the other)."""
    run = MatchRun.objects.select_for_update().select_related("cohort__program").get(pk=run.pk)
    editable(run)
    return run
