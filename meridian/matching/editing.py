"""Reviewing a run, the reads: the run's pairs as the engine sees them (the board), a
move's preview, the swaps of a pair, "why not" and the alternatives. Every move and swap
is planned first (``matching_engine.edits``): the preview shows the plan and the edit
(``services.review``) applies the same plan."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from matching_engine import edits
from matching_engine.explain import explain_pair, explain_pairs, zone_time
from matching_engine.runs import rank_mentors
from meridian.core.errors import MeridianError
from meridian.matching import adapter, naming
from meridian.matching.adapter import CohortProblem
from meridian.matching.models import MatchRun, Proposal
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


# ---------------------------------------------------------------- moves and swaps


def move_plan(board: Board, mentee: Enrollment, mentor: Enrollment) -> edits.Plan:
    i, j = board.cp.mentee_index(mentee.pk), board.cp.mentor_index(mentor.pk)
    if i is None or j is None:
        raise MeridianError(
            "One of these people is no longer an approved member of the cohort without a mentor."
        )
    try:
        return edits.plan_move(board.cp.problem, board.current, i, j)
    except edits.Refused as refused:
        raise MeridianError(board.refusal(refused)) from None


def preview_move(*, run: MatchRun, mentee: Enrollment, mentor: Enrollment) -> Change:
    """What ``services.review.run_move`` would do, without doing it."""
    board = board_of(run)
    return board.change(move_plan(board, mentee, mentor))


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
    why = explain_pair(board.cp.problem, i, j, mentee_time=zone_time)
    evidence = why.evidence
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
    order = rank_mentors(scores, allowed, leave_out=[mine], limit=limit)
    load = board.current.load()
    found = []
    for why in explain_pairs(board.cp.problem, [i] * len(order), order, mentee_time=zone_time):
        j, mentor = why.mentor, board.cp.mentors[why.mentor]
        try:
            change: Change | None = board.change(edits.plan_move(board.cp.problem, board.current, i, j))
        except edits.Refused:
            change = None
        room = int(board.current.capacity[j])
        found.append(
            Alternative(mentor, board.name(mentor), why.score, why.summary, int(load[j]), room, change)
        )
    return found
