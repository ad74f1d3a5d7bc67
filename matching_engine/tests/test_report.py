"""The quality report: its numbers on a hand-made instance, the reasons, the certificate."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from matching_engine.model import Participant, Role
from matching_engine.problem import Assignment
from matching_engine.report import quality_report, region, seniority_band
from matching_engine.solve import solve_optimal
from matching_engine.stable import deferred_acceptance
from matching_engine.tests.test_solve import Dense, candidates_of, pruned


def person(
    i: int, role: Role, department: str = "", zone: str = "Europe/Berlin", level: int | None = None
) -> Participant:
    return Participant(
        id=f"P{i}", role=role, name=f"Person {i}", email=f"p{i}@example.org", time_zone=zone,
        department=department, seniority=level,
    )  # fmt: skip


MENTEES = [
    person(0, Role.MENTEE, "Sales", "Europe/Berlin", 2),
    person(1, Role.MENTEE, "Sales", "Asia/Tokyo", 5),
    person(2, Role.MENTEE, "Finance", "Europe/London", 8),
    person(3, Role.MENTEE, "Finance", "America/Chicago"),
]
MENTORS = [person(10, Role.MENTOR), person(11, Role.MENTOR)]
# Mentee 2 shares no language with anyone; mentee 3 only fits mentor 0, who is full.
SCORES: Dense = [[0.9, 0.5], [0.6, 0.8], [None, None], [0.2, None]]
CAPACITY = [1, 2]


class Table:
    """A stand-in for ``scoring.Problem``: scores from a dense table, reasons from a function."""

    def __init__(self, scores: Dense, why: Callable[[int, int], str]) -> None:
        self.scores, self.why = scores, why

    def pairs(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> tuple[Any, Any, Any]:
        cells = [self.scores[i][j] for i, j in zip(np.ravel(mentees), np.ravel(mentors), strict=True)]
        score = np.array([0.1 if v is None else v for v in cells], np.float32)
        return score, np.zeros((len(cells), 6), np.float32), np.array([v is not None for v in cells])

    def forbidden_reason(self, mentee: int, mentor: int) -> str | None:
        return None if self.scores[mentee][mentor] is not None else self.why(mentee, mentor)


def no_language(i: int, j: int) -> str:
    return "no language in common" if i == 2 else "only 0.5 h a week of shared time (minimum 1 h)"


PROBLEM = Table(SCORES, no_language)


def test_it_reports_coverage_scores_and_groups() -> None:
    c = candidates_of(SCORES, CAPACITY)
    assignment = solve_optimal(c)
    assert assignment.mentor_of.tolist() == [0, 1, -1, -1]
    report = quality_report(c, assignment, MENTEES, MENTORS, problem=PROBLEM)
    assert (report.mentees, report.matched, report.capacity, report.capacity_used) == (4, 2, 3, 2)
    assert report.scores is not None
    assert report.scores.count == 2
    assert report.scores.mean == pytest.approx(0.85)
    assert report.scores.min == pytest.approx(0.8)
    assert report.scores.max == pytest.approx(0.9)
    assert report.scores.p50 == pytest.approx(0.85)
    assert report.scores.p10 == pytest.approx(0.81)
    by = {grouping.key: {g.name: g for g in grouping.groups} for grouping in report.groupings}
    assert by["department"]["Sales"].matched == 2
    assert by["department"]["Finance"].matched == 0
    assert by["department"]["Finance"].scores is None
    assert set(by["time-zone region"]) == {"Europe", "Asia", "America"}
    assert by["time-zone region"]["Europe"].mentees == 2
    assert set(by["seniority band"]) == {"1-3", "4-6", "7-10", "not given"}


def test_it_gives_each_unmatched_mentee_a_reason() -> None:
    c = candidates_of(SCORES, CAPACITY)
    report = quality_report(c, solve_optimal(c), MENTEES, MENTORS, problem=PROBLEM)
    reasons = {u.mentee_id: u.reason for u in report.unmatched}
    assert reasons == {
        "P2": "no mentor is allowed; all 2 mentors are ruled out by: no language in common (2)",
        "P3": "the mentor they may be matched with is full",
    }


def test_it_names_mixed_constraints_and_works_without_reasons() -> None:
    scores: Dense = [[None, None], [0.5, 0.4]]
    c = candidates_of(scores, [1, 1])
    mixed = [
        "no language in common",
        "only 0 h a week of shared time (minimum 1 h); same reporting line: A, B",
    ]
    table = Table(scores, lambda i, j: mixed[j])
    report = quality_report(c, solve_optimal(c), MENTEES[:2], MENTORS, problem=table)
    assert report.unmatched[0].reason == (
        "no mentor is allowed; all 2 mentors are ruled out by: no language in common (1),"
        " too few shared hours a week (1), same reporting line (1)"
    )
    plain = quality_report(c, solve_optimal(c), MENTEES[:2], MENTORS)
    assert plain.unmatched[0].reason == "no mentor is allowed by the hard constraints"


def test_it_counts_blocking_pairs_and_certifies_optimality() -> None:
    c = candidates_of([[0.9, 0.8], [0.85, 0.1]], [1, 1])
    optimal = quality_report(c, solve_optimal(c), MENTEES[:2], MENTORS)
    assert optimal.blocking_pairs == 1
    assert optimal.certificate.proven
    assert optimal.certificate.gap == 0
    assert optimal.certificate.total == pytest.approx(1.65)
    stable = deferred_acceptance(c)
    bound = solve_optimal(c).upper_bound
    report = quality_report(
        c, Assignment(stable.mentor_of, stable.total, bound, stable.mode), MENTEES[:2], MENTORS
    )
    assert report.blocking_pairs == 0
    assert report.mode == "stable"
    assert not report.certificate.proven
    assert report.certificate.gap == pytest.approx((1.65 - 1.0) / 1.0)


def test_it_shows_the_bound_of_pruned_candidates() -> None:
    c = pruned(candidates_of([[0.9, 0.1, 0.2], [0.8, 0.7, 0.6]], [1, 0, 1]), 1)
    report = quality_report(c, solve_optimal(c), MENTEES[:2], [*MENTORS, person(12, Role.MENTOR)])
    assert not report.certificate.proven
    assert (report.certificate.upper_bound or 0) >= 1.5 - 1e-6
    assert report.unmatched[0].reason == "the mentor best suited to it is full"


def test_it_writes_json_and_text() -> None:
    c = candidates_of(SCORES, CAPACITY)
    report = quality_report(c, solve_optimal(c), MENTEES, MENTORS, problem=PROBLEM)
    data = json.loads(json.dumps(report.to_json()))
    assert data["coverage"] == {"mentees": 0.5, "capacity": pytest.approx(2 / 3)}
    assert data["certificate"]["proven"] is True
    assert data["unmatched"][0]["mentee_id"] == "P2"
    assert data["groupings"][0]["key"] == "department"
    text = report.to_text()
    assert "mentees matched   2 of 4 (50.0%)" in text
    assert "proven optimal" in text
    assert "P3 Person 3: the mentor they may be matched with is full" in text


def test_it_reports_an_empty_matching() -> None:
    c = candidates_of([[None], [None]], [1])
    report = quality_report(c, solve_optimal(c), MENTEES[:2], MENTORS[:1])
    assert report.matched == 0
    assert report.scores is None
    assert "scores            -" in report.to_text()


def test_it_bands_seniority_and_regions() -> None:
    assert [seniority_band(person(0, Role.MENTEE, level=v)) for v in (1, 3, 4, 6, 7, 10)] == [
        "1-3", "1-3", "4-6", "4-6", "7-10", "7-10",
    ]  # fmt: skip
    assert region(person(0, Role.MENTEE, zone="America/Argentina/Salta")) == "America"
    assert region(person(0, Role.MENTEE, zone="UTC")) == "UTC"


def test_it_lists_the_first_unmatched_in_text_only() -> None:
    empty: Dense = [[None]] * 25
    c = candidates_of(empty, [1])
    people = [person(i, Role.MENTEE) for i in range(25)]
    report = quality_report(c, solve_optimal(c), people, MENTORS[:1])
    assert len(report.unmatched) == 25
    assert "... and 5 more" in report.to_text()
    assert report.certificate.gap == 0


def test_it_counts_every_allowed_mentor_when_candidates_are_pruned() -> None:
    from matching_engine.model import Window
    from matching_engine.scoring import prepare
    from matching_engine.solve import mentor_cutoffs

    def member(i: int, role: Role) -> Participant:
        return Participant(
            id=f"P{i}", role=role, name=f"Person {i}", email=f"p{i}@example.org", time_zone="Europe/Berlin",
            availability=(Window(0, 540, 720),), languages=("en",), values=(f"value {i % 3}",),
        )  # fmt: skip

    mentees = [member(i, Role.MENTEE) for i in range(5)]
    mentors = [member(10 + i, Role.MENTOR) for i in range(3)]
    problem = prepare(mentees, mentors)
    c = problem.candidates(k=1, full=False)
    assert c.allowed.tolist() == [3] * 5  # every pair is allowed; each mentee keeps fewer
    assert not c.complete
    assert min(np.bincount(c.mentee, minlength=5)) < 3
    report = quality_report(
        c, solve_optimal(c, mentor_cutoff=mentor_cutoffs(c, 1)), mentees, mentors, problem=problem
    )
    assert len(report.unmatched) == 2
    assert {u.reason for u in report.unmatched} == {"all 3 mentors they may be matched with are full"}
