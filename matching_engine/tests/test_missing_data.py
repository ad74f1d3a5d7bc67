"""Missing data never slips past a hard rule: random profiles with random fields blanked,
solved in optimal (both objectives) and stable mode, checked pair by pair by the audit."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.audit import rule_breaks
from matching_engine.demo import generate_cohort
from matching_engine.model import Participant, Role, Window
from matching_engine.problem import Constraints, Objective
from matching_engine.report import quality_report
from matching_engine.scoring import prepare
from matching_engine.solve import solve_optimal
from matching_engine.stable import stable_match

EMPTY: dict[str, Any] = {
    "availability": (),
    "languages": (),
    "skills_wanted": (),
    "skills_offered": (),
    "values": (),
    "interests": (),
    "goals": "",
    "channels": (),
    "seniority": None,
    "department": "",
}
RULE_FACTS = ("availability", "languages", "department")


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[Participant], list[Participant], Constraints]:
    """A demo cohort whose people each lose random fields, under random active rules and
    random people let in."""
    people = generate_cohort(
        draw(st.integers(4, 40)), draw(st.integers(2, 14)), seed=draw(st.integers(0, 9999))
    )
    blank = st.lists(st.sampled_from(sorted(EMPTY)), max_size=4, unique=True)
    people = [replace(p, **{f: EMPTY[f] for f in draw(blank)}) for p in people]
    if draw(st.booleans()):  # an empty profile, as in the issue, on each side
        people += [
            replace(people[0], id="EMPTY-E", role=Role.MENTEE, manager_id="", **EMPTY),
            replace(people[0], id="EMPTY-M", role=Role.MENTOR, manager_id="", capacity=3, **EMPTY),
        ]
    ids = [p.id for p in people]
    constraints = Constraints(
        min_shared_hours=draw(st.sampled_from([0.0, 0.25, 1.0, 2.0])),
        require_common_language=draw(st.booleans()),
        separate_departments=draw(st.booleans()),
        separate_reporting_lines=draw(st.booleans()),
        allow_incomplete=frozenset(draw(st.lists(st.sampled_from(ids), max_size=6))),
        allow_all_incomplete=draw(st.integers(0, 4)) == 0,
    )
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    return mentees, mentors, constraints


def assignments(mentees: list[Participant], mentors: list[Participant], c: Constraints, k: int) -> list[Any]:
    problem = prepare(mentees, mentors, constraints=c)
    candidates = problem.candidates(k=k)
    found = [solve_optimal(candidates, objective=objective) for objective in Objective]
    found.append(stable_match(problem, candidates, k=k)[0])
    return found


@settings(max_examples=60, deadline=None)
@given(cohorts(), st.sampled_from([2, 40]))
def test_no_proposed_pair_breaks_an_active_rule(cohort, k):
    mentees, mentors, constraints = cohort
    for assignment in assignments(mentees, mentors, constraints, k):
        assert rule_breaks(mentees, mentors, constraints, assignment.mentor_of) == []


@settings(max_examples=30, deadline=None)
@given(cohorts())
def test_nobody_missing_what_an_active_rule_needs_is_matched_unless_let_in(cohort):
    mentees, mentors, constraints = cohort
    needed = [
        ("availability", constraints.min_shared_hours > 0),
        ("languages", constraints.require_common_language),
        ("department", constraints.separate_departments),
    ]
    blocked_mentees = {i for i, p in enumerate(mentees) if _blocked(p, needed, constraints)}
    blocked_mentors = {j for j, p in enumerate(mentors) if _blocked(p, needed, constraints)}
    for assignment in assignments(mentees, mentors, constraints, 40):
        matched = assignment.mentor_of.tolist()
        assert not any(matched[i] >= 0 for i in blocked_mentees)
        assert not blocked_mentors & set(matched)


def _blocked(person: Participant, needed: list[tuple[str, bool]], c: Constraints) -> bool:
    lacking = any(active and not getattr(person, fact) for fact, active in needed)
    return lacking and not c.lets_in(person.id)


def test_the_audit_catches_every_kind_of_broken_rule():
    monday = (Window(0, 9 * 60, 10 * 60),)
    boss = _person("boss", Role.MENTOR, department="Ops", languages=("en",), availability=monday)
    ana = _person("ana", manager_id="boss", department="Ops", languages=("fr",), availability=monday)
    cal = _person("cal", department="Ops")  # no availability, languages
    rules = Constraints(min_shared_hours=2.0, separate_departments=True)
    breaks = rule_breaks([ana, cal], [boss], rules, np.array([0, 0]))
    assert sorted(b.rule for b in breaks if b.mentee_id == "ana") == [
        "common language",
        "department",
        "min shared hours",
        "reporting line",
    ]
    assert sorted(b.rule for b in breaks if b.mentee_id == "cal") == [
        "common language",
        "department",
        "min shared hours",
    ]
    assert ("", "boss", "capacity") in breaks
    let_in = replace(rules, allow_incomplete=frozenset({"cal"}), separate_departments=False)
    assert [b.rule for b in rule_breaks([cal], [boss], let_in, [0])] == []


def test_the_report_lists_incomplete_profiles_and_why_they_are_unmatched():
    monday = (Window(0, 9 * 60, 17 * 60),)
    full: dict[str, Any] = {
        "languages": ("en",),
        "availability": monday,
        "seniority": 3,
        "values": ("care",),
        "channels": ("video",),
    }
    ana = _person("ana", **full, skills_wanted=("SQL",))
    cal = _person("cal", skills_wanted=("SQL",))  # no availability, no languages ...
    ben = _person("ben", Role.MENTOR, capacity=2, **full, skills_offered=("SQL",))
    rules = Constraints()
    report = _report([ana, cal], [ben], rules)
    (gap,) = report.incomplete
    assert (gap.person_id, gap.role, gap.matched, gap.let_in) == ("cal", "mentee", False, False)
    assert gap.missing == (
        "availability",
        "languages",
        "values, interests or goals",
        "seniority",
        "preferred channels",
    )
    assert gap.rules == ("at least 1 h shared a week", "a common language")
    assert "no availability given (1), no languages given (1)" in gap.reason
    assert "Incomplete profiles (1)\n  cal Cal (mentee): missing availability; languages;" in report.to_text()
    assert json.loads(json.dumps(report.to_json()))["incomplete"][0]["missing"][:2] == [
        "availability",
        "languages",
    ]
    let_in = _report([ana, cal], [ben], replace(rules, allow_incomplete=frozenset({"cal"})))
    assert let_in.incomplete[0].matched
    assert let_in.incomplete[0].let_in
    assert let_in.matched == 2


def _report(mentees: list[Participant], mentors: list[Participant], rules: Constraints) -> Any:
    problem = prepare(mentees, mentors, constraints=rules)
    c = problem.candidates()
    return quality_report(c, solve_optimal(c), mentees, mentors, problem=problem)


def _person(pid: str, role: Role = Role.MENTEE, **fields: Any) -> Participant:
    values: dict[str, Any] = {"time_zone": "UTC", "name": pid.title(), **fields}
    return Participant(id=pid, role=role, email=f"{pid}@example.org", **values)
