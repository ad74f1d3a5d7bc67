"""The quality report of a matching run: coverage, score distribution (overall and by
group, for fairness), unmatched mentees with a reason in words, incomplete profiles
(who, what is missing, which rules that leaves unchecked), blocking pairs and the
optimality certificate. ``to_json`` for files and the web app, ``to_text`` for a terminal.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from matching_engine.completeness import gaps
from matching_engine.model import Participant
from matching_engine.problem import Assignment, Candidates, Constraints
from matching_engine.solve import assigned_pairs
from matching_engine.stable import blocking_pairs

PERCENTILES = (10, 25, 50, 75, 90)
PAIR_CHECKS = 2_000_000  # most pairs scored to explain why mentees are unmatched
BEST_CHECKED = 5  # mentors whose forbidding reasons are named, per mentee without any
REASON_CALLS = 100  # forbidden_reason calls (~1 ms each) shared by those mentees, at least one each
TEXT_UNMATCHED = 20  # unmatched mentees listed by to_text
TEXT_INCOMPLETE = 20  # incomplete profiles listed by to_text


class PairSource(Protocol):
    """What the report asks of ``scoring.Problem`` to say why a mentee is unmatched."""

    def pairs(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> tuple[Any, Any, Any]:
        """Scores, components and allowed flags of the pairs listed."""
        ...

    def forbidden_reason(self, mentee: int, mentor: int) -> str | None:
        """Why a pair is forbidden (``; ``-separated), or None."""
        ...


@dataclass(frozen=True)
class ScoreStats:
    """The distribution of matched pairs' scores."""

    count: int
    mean: float
    min: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    max: float


@dataclass(frozen=True)
class GroupStats:
    """One group of mentees (a department, a region, a seniority band)."""

    name: str
    mentees: int
    matched: int
    scores: ScoreStats | None  # None when nobody in the group is matched


@dataclass(frozen=True)
class Grouping:
    """Mentees grouped by one key, largest group first."""

    key: str
    groups: tuple[GroupStats, ...]


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a mentor, and why."""

    mentee_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class Incomplete:
    """A person who left out something matching uses, and what became of them.

    ``rules`` are the active hard rules that cannot be checked without what is
    ``missing``; they are not met (the person is matched with nobody) unless the manager
    let the person in (``let_in``: the rules skip what they left out).
    """

    person_id: str
    name: str
    role: str
    missing: tuple[str, ...]
    rules: tuple[str, ...]
    let_in: bool
    matched: bool  # a mentee with a mentor, a mentor with a mentee
    reason: str  # why they are not matched; "" when they are


@dataclass(frozen=True)
class Certificate:
    """How far the total may be from the optimum: ``proven`` when the gap is 0.

    ``upper_bound`` and ``gap`` are None when nothing bounds the optimum (coverage mode,
    when left-out pairs might match more mentees).
    """

    total: float
    upper_bound: float | None
    gap: float | None
    proven: bool


@dataclass(frozen=True)
class QualityReport:
    """Everything a program manager needs to judge a run."""

    mode: str
    mentees: int
    matched: int
    capacity: int
    capacity_used: int
    scores: ScoreStats | None
    groupings: tuple[Grouping, ...]
    unmatched: tuple[Unmatched, ...]
    blocking_pairs: int
    certificate: Certificate
    incomplete: tuple[Incomplete, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The report as plain JSON-ready values."""
        data = asdict(self)
        data["coverage"] = {"mentees": _share(self.matched, self.mentees)}
        data["coverage"]["capacity"] = _share(self.capacity_used, self.capacity)
        return data

    def to_text(self) -> str:
        """The report for a terminal: a few aligned sections."""
        return "\n".join(
            [
                *self._summary_lines(),
                *self._group_lines(),
                *self._unmatched_lines(),
                *self._incomplete_lines(),
                "",
            ]
        )

    def _summary_lines(self) -> list[str]:
        return [
            f"Matching quality ({self.mode})",
            f"  mentees matched   {self.matched:,} of {self.mentees:,}"
            f" ({_share(self.matched, self.mentees):.1%})",
            f"  capacity used     {self.capacity_used:,} of {self.capacity:,}"
            f" ({_share(self.capacity_used, self.capacity):.1%})",
            f"  scores            {_stats_text(self.scores)}",
            f"  blocking pairs    {self.blocking_pairs:,}",
            f"  total score       {_proof(self.certificate)}",
        ]

    def _group_lines(self) -> list[str]:
        lines: list[str] = []
        for grouping in self.groupings:
            lines.append(f"By {grouping.key}")
            width = max((len(g.name) for g in grouping.groups), default=0)
            for g in grouping.groups:
                matched = f"{g.matched:,}/{g.mentees:,}"
                lines.append(f"  {g.name.ljust(width)}  {matched:>13}  {_stats_text(g.scores)}")
        return lines

    def _unmatched_lines(self) -> list[str]:
        if not self.unmatched:
            return []
        lines = [f"Unmatched mentees ({len(self.unmatched):,})"]
        lines += [f"  {u.mentee_id} {u.name}: {u.reason}" for u in self.unmatched[:TEXT_UNMATCHED]]
        if len(self.unmatched) > TEXT_UNMATCHED:
            lines.append(f"  ... and {len(self.unmatched) - TEXT_UNMATCHED:,} more (see the JSON report)")
        return lines

    def _incomplete_lines(self) -> list[str]:
        if not self.incomplete:
            return []
        lines = [f"Incomplete profiles ({len(self.incomplete):,})"]
        for gap in self.incomplete[:TEXT_INCOMPLETE]:
            state = "matched" if gap.matched else f"not matched: {gap.reason}"
            let_in = ", let in on what they gave" if gap.let_in and gap.rules else ""
            missing = "; ".join(gap.missing)
            lines.append(f"  {gap.person_id} {gap.name} ({gap.role}): missing {missing}{let_in}; {state}")
        if len(self.incomplete) > TEXT_INCOMPLETE:
            lines.append(f"  ... and {len(self.incomplete) - TEXT_INCOMPLETE:,} more (see the JSON report)")
        return lines


# --- building ---------------------------------------------------------------------------------


def quality_report(
    c: Candidates,
    assignment: Assignment,
    mentees: Sequence[Participant],
    mentors: Sequence[Participant],
    *,
    problem: PairSource | None = None,
    constraints: Constraints | None = None,
) -> QualityReport:
    """The report of ``assignment`` over the candidates ``c`` of ``mentees`` x ``mentors``.

    With ``problem`` (the ``scoring.Problem`` the candidates came from), each unmatched
    mentee's reason names the hard constraints that leave it no mentor, or says whether
    mentors with room fell outside pruned candidates. ``constraints`` (by default the
    problem's) say which rules an incomplete profile leaves unchecked.
    """
    scores = np.zeros(c.n_mentees, np.float64)
    matched = assignment.mentor_of >= 0
    scores[matched] = c.score[assigned_pairs(c, assignment.mentor_of)]
    load = np.bincount(assignment.mentor_of[matched], minlength=len(c.capacity))
    unmatched = _unmatched(c, assignment, mentees, load, problem)
    rules = constraints or getattr(problem, "constraints", None) or Constraints()
    return QualityReport(
        mode=str(assignment.mode),
        mentees=c.n_mentees,
        matched=int(matched.sum()),
        capacity=int(c.capacity.sum()),
        capacity_used=int(load.sum()),
        scores=score_stats(scores[matched]),
        groupings=_groupings(mentees, scores, matched),
        unmatched=unmatched,
        blocking_pairs=blocking_pairs(c, assignment),
        certificate=_certificate(assignment),
        incomplete=_incomplete(mentees, mentors, matched, load, unmatched, rules),
    )


def score_stats(scores: npt.NDArray[np.floating]) -> ScoreStats | None:
    """Mean, min, percentiles and max of ``scores`` (None when empty)."""
    if not len(scores):
        return None
    p10, p25, p50, p75, p90 = (float(p) for p in np.percentile(scores, PERCENTILES))
    low, high = float(scores.min()), float(scores.max())
    return ScoreStats(len(scores), float(scores.mean()), low, p10, p25, p50, p75, p90, high)


def region(person: Participant) -> str:
    """The time-zone region: the zone's first part (``Europe`` of ``Europe/Berlin``)."""
    return person.time_zone.split("/", 1)[0] or "(none)"


def seniority_band(person: Participant) -> str:
    """``1-3``, ``4-6``, ``7-10``, or ``not given``."""
    level = person.seniority
    if level is None:
        return "not given"
    return "1-3" if level <= 3 else "4-6" if level <= 6 else "7-10"


def department(person: Participant) -> str:
    """The department, or ``(none)``."""
    return person.department or "(none)"


GROUP_KEYS: tuple[tuple[str, Callable[[Participant], str]], ...] = (
    ("department", department),
    ("time-zone region", region),
    ("seniority band", seniority_band),
)


def _groupings(
    mentees: Sequence[Participant], scores: npt.NDArray[np.float64], matched: npt.NDArray[np.bool_]
) -> tuple[Grouping, ...]:
    return tuple(_grouping(name, key, mentees, scores, matched) for name, key in GROUP_KEYS)


def _grouping(
    name: str,
    key: Callable[[Participant], str],
    mentees: Sequence[Participant],
    scores: npt.NDArray[np.float64],
    matched: npt.NDArray[np.bool_],
) -> Grouping:
    labels = np.array([key(person) for person in mentees], dtype=object)
    groups = []
    for label, size in Counter(labels.tolist()).most_common():
        members = (labels == label) & matched
        groups.append(GroupStats(str(label), size, int(members.sum()), score_stats(scores[members])))
    return Grouping(name, tuple(groups))


def _incomplete(
    mentees: Sequence[Participant],
    mentors: Sequence[Participant],
    matched: npt.NDArray[np.bool_],
    load: npt.NDArray[np.int64],
    unmatched: tuple[Unmatched, ...],
    constraints: Constraints,
) -> tuple[Incomplete, ...]:
    """Everyone with an incomplete profile, mentees first, and whether they were matched."""
    why = {u.mentee_id: u.reason for u in unmatched}
    found = []
    for side, has in ((mentees, matched.tolist()), (mentors, (load > 0).tolist())):
        at = {p.id: i for i, p in enumerate(side)}
        for gap in gaps(side, constraints):
            p = gap.person
            ok = bool(has[at[p.id]])
            reason = "" if ok else why.get(p.id) or _no_mentee(gap.missing, gap.rules, gap.let_in)
            found.append(
                Incomplete(p.id, p.name, str(p.role), gap.missing, gap.rules, gap.let_in, ok, reason)
            )
    return tuple(found)


def _no_mentee(missing: tuple[str, ...], rules: tuple[str, ...], let_in: bool) -> str:
    if rules and not let_in:
        facts = [m for m in missing if m in ("availability", "languages", "department")]
        return f"no {' or '.join(facts)}, so {' or '.join(rules)} cannot be checked"
    return "no mentee was matched with them"


def _certificate(assignment: Assignment) -> Certificate:
    if not math.isfinite(assignment.upper_bound):
        return Certificate(assignment.total, None, None, proven=False)
    gap = assignment.gap
    return Certificate(assignment.total, assignment.upper_bound, gap, proven=gap <= 1e-9)


def _proof(cert: Certificate) -> str:
    if cert.upper_bound is None or cert.gap is None:
        return f"{cert.total:,.4f} (no bound: left-out pairs might match more mentees)"
    proof = "proven optimal" if cert.proven else f"the optimum is at most {cert.gap:.3%} higher"
    return f"{cert.total:,.4f} (upper bound {cert.upper_bound:,.4f}: {proof})"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _stats_text(stats: ScoreStats | None) -> str:
    if stats is None:
        return "-"
    return (
        f"mean {stats.mean:.3f}  min {stats.min:.3f}  p10 {stats.p10:.3f}  p50 {stats.p50:.3f}"
        f"  p90 {stats.p90:.3f}  max {stats.max:.3f}"
    )


# --- why a mentee is unmatched ---------------------------------------------------------------


def _unmatched(
    c: Candidates,
    assignment: Assignment,
    mentees: Sequence[Participant],
    load: npt.NDArray[np.int64],
    problem: PairSource | None,
) -> tuple[Unmatched, ...]:
    left = np.flatnonzero(assignment.mentor_of < 0)
    why = _Why(c, left, load < c.capacity, problem)
    return tuple(Unmatched(mentees[m].id, mentees[m].name, why.reason(m)) for m in left.tolist())


class _Why:
    """Finds, for each unmatched mentee, whether constraints or full mentors leave it out.

    Looks are vectorised (``PairSource.pairs``) and capped at ``PAIR_CHECKS`` pairs;
    ``forbidden_reason``, slow, is asked only about a mentee's ``BEST_CHECKED`` best mentors.
    """

    def __init__(
        self,
        c: Candidates,
        left: npt.NDArray[np.intp],
        room: npt.NDArray[np.bool_],
        problem: PairSource | None,
    ) -> None:
        self.c, self.room, self.problem = c, room, problem
        self.allowed: list[int] = c.allowed.tolist()  # may be empty: not counted
        self.order = np.argsort(c.mentee, kind="stable")
        self.starts = np.searchsorted(c.mentee[self.order], np.arange(c.n_mentees + 1))
        options = np.diff(self.starts)
        self.best = self._best_forbidden(left[options[left] == 0])
        self.reasons = self._reasons()
        self.spare = self._spare_mentors(left[options[left] > 0])

    def _reasons(self) -> dict[tuple[int, int], str | None]:
        """``forbidden_reason`` of each pair in ``best``; in one call where the source has
        ``forbidden_reasons`` (``scoring.Problem`` does)."""
        pairs = [(m, r) for m, mentors in self.best.items() for r in mentors]
        if self.problem is None or not pairs:
            return {}
        batch = getattr(self.problem, "forbidden_reasons", None)
        if batch is None:
            reasons = [self.problem.forbidden_reason(m, r) for m, r in pairs]
        else:
            reasons = batch([m for m, _ in pairs], [r for _, r in pairs])
        return dict(zip(pairs, reasons, strict=True))

    def reason(self, m: int) -> str:
        """Why mentee ``m`` has no mentor, in words."""
        options = self.c.mentor[self.order[self.starts[m] : self.starts[m + 1]]]
        if not len(self.c.capacity):
            return "there are no mentors"
        if not len(options):
            return self._none_allowed(m)
        if self.room[options].any():
            return "its allowed mentors with room left would add nothing to the total score"
        return self._all_full(m, options)

    def _all_full(self, m: int, options: npt.NDArray[np.int32]) -> str:
        them = "the mentor" if len(options) == 1 else f"all {len(options)} mentors"
        verb = "is" if len(options) == 1 else "are"
        spare = self.spare.get(m)
        if self.c.complete:
            return f"{them} they may be matched with {verb} full"
        if spare == 0:  # every allowed mentor is full, not only the candidates
            return f"{self._allowed_mentors(m)} they may be matched with {self._are(m)} full"
        if spare is None:
            return f"{them} best suited to it {verb} full"
        count = "a mentor" if spare == 1 else f"{spare} mentors"
        return f"{them} best suited to it {verb} full; {count} with room left fell outside its candidates"

    def _allowed_mentors(self, m: int) -> str:
        """The mentors mentee ``m`` may be matched with, counted where the candidates say."""
        if not self.allowed:
            return "every mentor"
        count = self.allowed[m]
        return "the mentor" if count == 1 else f"all {count:,} mentors"

    def _are(self, m: int) -> str:
        return "is" if not self.allowed or self.allowed[m] == 1 else "are"

    def _none_allowed(self, m: int) -> str:
        mentors = self.best.get(m)
        if self.problem is None or mentors is None:
            return "no mentor is allowed by the hard constraints"
        kinds = Counter(kind for r in mentors for kind in _kinds(self.reasons[(m, r)]))
        shown = ", ".join(f"{kind} ({n})" for kind, n in kinds.most_common())
        return f"no mentor is allowed; {_whom(len(mentors), len(self.c.capacity))} ruled out by: {shown}"

    def _best_forbidden(self, mentees: npt.NDArray[np.intp]) -> dict[int, list[int]]:
        """Each mentee's best-scoring (forbidden) mentors, for the reasons in words."""
        n = len(self.c.capacity)
        if self.problem is None or not len(mentees) or not n or len(mentees) * n > PAIR_CHECKS:
            return {}
        rows, cols = np.repeat(mentees, n), np.tile(np.arange(n), len(mentees))
        score = self.problem.pairs(rows, cols)[0].reshape(len(mentees), n)
        checked = min(BEST_CHECKED, max(1, REASON_CALLS // len(mentees)))
        best = np.argsort(-score, axis=1, kind="stable")[:, :checked]
        return {int(m): best[i].tolist() for i, m in enumerate(mentees)}

    def _spare_mentors(self, mentees: npt.NDArray[np.intp]) -> dict[int, int]:
        """How many allowed mentors with room each mentee has (pruned candidates only)."""
        room = np.flatnonzero(self.room)
        if (
            self.problem is None
            or self.c.complete
            or not len(mentees)
            or len(mentees) * len(room) > PAIR_CHECKS
        ):
            return {}
        rows, cols = np.repeat(mentees, len(room)), np.tile(room, len(mentees))
        allowed = self.problem.pairs(rows, cols)[2].reshape(len(mentees), len(room))
        return dict(zip(mentees.tolist(), allowed.sum(axis=1).tolist(), strict=True))


def _whom(checked: int, total: int) -> str:
    if total == 1:
        return "the only mentor is"
    if checked == total:
        return f"all {total} mentors are"
    return "their best-scoring mentor is" if checked == 1 else f"their {checked} best-scoring mentors are"


def _kinds(reasons: str | None) -> list[str]:
    """The kinds of a pair's reasons, without the names and figures that vary by pair."""
    kinds = []
    for reason in (reasons or "allowed").split("; "):
        kind = next((k for key, k in _KINDS if key in reason), reason.split(":")[0])
        if kind not in kinds:
            kinds.append(kind)
    return kinds


_KINDS = (  # a phrase of Problem.forbidden_reason's words -> the kind shown
    ("gave no availability", "no availability given"),
    ("gave no languages", "no languages given"),
    ("gave no department", "no department given"),
    ("shared time", "too few shared hours a week"),
    ("asked not to be matched", "excluded by one of the two"),
)
