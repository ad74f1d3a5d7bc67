"""Explanations: contributions add up to the score, agree with the candidates, and read as words."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import explain
from matching_engine.demo import generate_cohort
from matching_engine.evidence import _runs
from matching_engine.explain import (
    explain_pair,
    explain_pairs,
    iter_explanations,
    iter_summaries,
    your_time,
    zone_time,
)
from matching_engine.features import WEEK_SLOTS
from matching_engine.model import Participant, Role, Window
from matching_engine.problem import CRITERIA, Constraints, Weights
from matching_engine.scoring import Problem, prepare

WEIGHTS = st.builds(Weights, *[st.floats(0, 3, allow_nan=False)] * len(CRITERIA))


def person(pid: str, role: Role = Role.MENTEE, **fields: object) -> Participant:
    values: dict[str, object] = {"time_zone": "UTC", "name": pid.title(), **fields}
    return Participant(id=pid, role=role, email=f"{pid}@example.org", **values)  # type: ignore[arg-type]


def cohort(seed: int, weights: Weights | None = None) -> Problem:
    people = generate_cohort(40, 12, seed=seed)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    return prepare(mentees, mentors, weights=weights or Weights())


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 50), WEIGHTS)
def test_it_adds_contributions_up_to_the_score(seed, weights):
    problem = cohort(seed, weights)
    for i, j in [(0, 0), (3, 5), (39, 11), (17, 2)]:
        x = explain_pair(problem, i, j)
        assert sum(x.contributions.values()) == pytest.approx(x.score, abs=1e-5)
        total = sum(weights.as_array())
        for c, w in zip(CRITERIA, weights.as_array(), strict=True):
            assert x.contributions[c] == pytest.approx(w * x.components[c] / total if total else 0, abs=1e-6)


def test_it_agrees_with_the_candidate_arrays():
    problem = cohort(7)
    for full in (True, False):
        c = problem.candidates(k=3, full=full)
        for p in range(0, len(c.score), max(1, len(c.score) // 40)):
            x = explain_pair(problem, int(c.mentee[p]), int(c.mentor[p]))
            assert x.allowed
            assert x.score == pytest.approx(float(c.score[p]), abs=1e-5)
            assert list(x.components.values()) == pytest.approx(c.components[p].tolist(), abs=1e-5)


def hand_made(mentor: dict[str, Any] | None = None, **changes: Any) -> Problem:
    """Ana in Berlin wants three skills; Ben in New York has two of them and 3.5 h a week with her."""
    ana = person(
        "ana",
        name="Ana",
        time_zone="Europe/Berlin",
        availability=(
            Window(1, 14 * 60, 16 * 60),
            Window(3, 9 * 60, 10 * 60 + 30),
            Window(4, 23 * 60, 24 * 60),
        ),
        skills_wanted=("SQL", "stakeholder management", "Kubernetes"),
        values=("curiosity", "integrity"),
        interests=("hiking",),
        goals="Grow into a leadership role.",
        languages=("en", "es"),
        seniority=3,
        channels=("video", "email"),
    )
    ben = person(
        "ben",
        Role.MENTOR,
        name="Ben",
        time_zone="America/New_York",
        availability=(Window(1, 8 * 60, 10 * 60), Window(3, 3 * 60, 4 * 60 + 30), Window(5, 0, 60)),
        skills_offered=("sql", "Stakeholder Management", "Python"),
        values=("Integrity", "curiosity", "ownership"),
        goals="Happy to coach on leadership.",
        languages=("es", "en", "de"),
        seniority=6,
        channels=("video",),
    )
    return prepare([replace(ana, **changes)], [replace(ben, **(mentor or {}))])


def test_it_gives_evidence_in_words_for_a_hand_made_pair():
    x = explain_pair(hand_made(), 0, 0)
    assert x.evidence == {
        "values": "shares curiosity and integrity; both mention leadership",
        "skills": "covers SQL and stakeholder management, not Kubernetes",
        "hours": "3.5 h a week: Tue 14:00-16:00, Thu 09:00-10:30 your time",
        "languages": "both speak English and Spanish",
        "seniority": "mentor is 3 levels more senior",
        "channels": "both prefer video",
        "hours_mentor_local": "3.5 h a week: Tue 08:00-10:00, Thu 03:00-04:30 Ben's time",
    }
    assert x.summary == (
        "covers SQL and stakeholder management, not Kubernetes; "
        "3.5 h a week: Tue 14:00-16:00, Thu 09:00-10:30 your time; "
        "shares curiosity and integrity; both mention leadership"
    )
    assert x.allowed
    assert x.forbidden is None
    assert x.components["hours"] == pytest.approx(3.5 / 4)


def test_it_names_the_zone_it_is_given_for_each_side_hours_and_summary_alike():
    x = explain_pair(hand_made(), 0, 0, mentee_time=zone_time, mentor_time=your_time)
    assert x.evidence["hours"] == "3.5 h a week: Tue 14:00-16:00, Thu 09:00-10:30 Berlin time"
    assert x.evidence["hours_mentor_local"] == "3.5 h a week: Tue 08:00-10:00, Thu 03:00-04:30 your time"
    assert "Thu 09:00-10:30 Berlin time; " in x.summary
    assert "your time" not in x.summary
    assert zone_time(replace(hand_made().mentees[0], time_zone="America/Sao_Paulo")) == "Sao Paulo time"


def test_it_writes_shared_windows_across_midnight_in_each_persons_time():
    london = (Window(4, 22 * 60, 24 * 60), Window(5, 3 * 60, 6 * 60))
    new_york = (Window(4, 17 * 60, 19 * 60), Window(4, 23 * 60, 24 * 60), Window(5, 0, 60))
    x = explain_pair(
        hand_made({"availability": new_york}, time_zone="Europe/London", availability=london), 0, 0
    )
    assert x.evidence["hours"] == "4 h a week: Fri 22:00-24:00, Sat 04:00-06:00 your time"
    assert x.evidence["hours_mentor_local"] == "4 h a week: Fri 17:00-19:00, Fri 23:00-Sat 01:00 Ben's time"


def test_it_joins_a_shared_window_across_the_end_of_the_utc_week():
    london = (Window(6, 23 * 60, 24 * 60), Window(0, 0, 60))
    new_york = (Window(6, 18 * 60, 20 * 60),)
    x = explain_pair(
        hand_made({"availability": new_york}, time_zone="Europe/London", availability=london), 0, 0
    )
    assert x.evidence["hours"] == "2 h a week: Sun 23:00-Mon 01:00 your time"
    assert x.evidence["hours_mentor_local"] == "2 h a week: Sun 18:00-20:00 Ben's time"


def test_it_names_what_is_missing_or_not_shared():
    # Missing data used to read as a plain fact ("Ana listed no skills to learn") and scored 0.5.
    x = explain_pair(hand_made(skills_wanted=(), languages=(), seniority=None, channels=("phone",)), 0, 0)
    assert x.evidence["skills"] == "Ana listed no skills to learn, so this counted 0"
    assert x.evidence["languages"] == "Ana gave no languages, so this counted 0"
    assert x.evidence["seniority"] == "Ana gave no seniority, so this counted 0"
    assert x.evidence["channels"] == "no preferred channel in common"
    assert x.missing == ("skills", "languages", "seniority")
    assert all(x.components[c] == 0 for c in x.missing)
    lonely = explain_pair(
        hand_made(availability=(Window(0, 0, 60),), values=(), interests=(), goals=""), 0, 0
    )
    assert lonely.evidence["values"] == "Ana gave no values, interests or goals to compare, so this counted 0"
    assert lonely.evidence["hours"] == "no shared time in the week"
    none = explain_pair(hand_made(skills_wanted=("Kubernetes", "Go")), 0, 0)
    assert none.evidence["skills"] == "does not cover Kubernetes or Go"
    offers_none = explain_pair(hand_made({"skills_offered": ()}), 0, 0)
    assert offers_none.evidence["skills"] == "Ben listed no skills to offer, so this counted 0"
    nowhere = explain_pair(hand_made(availability=()), 0, 0)
    assert nowhere.evidence["hours"] == "Ana gave no availability, so this counted 0"
    assert nowhere.evidence["hours_mentor_local"] == nowhere.evidence["hours"]


def test_it_never_gives_missing_data_as_a_reason_for_a_match():
    # The case: no availability, skills or languages; let in, so the pair is allowed.
    rules = Constraints(allow_all_incomplete=True)
    problem = hand_made(availability=(), skills_wanted=(), languages=())
    problem = prepare(problem.mentees, problem.mentors, constraints=rules)
    x = explain_pair(problem, 0, 0)
    assert x.allowed
    assert x.missing == ("skills", "hours", "languages")
    assert (
        x.summary == "shares curiosity and integrity; both mention leadership; mentor is 3 levels more senior"
    )
    empty = person("cal", name="Cal")
    x = explain_pair(prepare([empty], problem.mentors, constraints=rules), 0, 0)
    assert x.score == 0
    assert x.summary == explain.NOTHING_SHARED


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), WEIGHTS)
def test_no_summary_gives_missing_data_as_a_reason(seed, weights):
    people = blank_some_fields(generate_cohort(40, 12, seed=seed), seed)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    rules = Constraints(allow_all_incomplete=True)
    problem = prepare(mentees, mentors, weights=weights, constraints=rules)
    rows, cols = np.indices((len(mentees), len(mentors))).reshape(2, -1)
    for x in explain_pairs(problem, rows, cols):
        assert all(x.components[c] == 0 for c in x.missing)
        if x.allowed:
            assert "counted 0" not in x.summary
            assert " gave no " not in x.summary
            assert " listed no " not in x.summary


def test_it_says_why_a_forbidden_pair_is_not_allowed():
    problem = hand_made(languages=("fr",))
    x = explain_pair(problem, 0, 0)
    assert not x.allowed
    assert x.forbidden == "no language in common"
    assert x.summary == "not allowed: no language in common"
    assert x.evidence["languages"] == "no language in common (Ana: French; Ben: Spanish, English, German)"
    excluded = replace(problem.constraints, excluded_pairs=frozenset({("ana", "ben")}))
    again = prepare(problem.mentees, problem.mentors, constraints=excluded)
    assert explain_pair(again, 0, 0).forbidden == "no language in common; excluded by the manager"


def test_it_describes_a_junior_or_equal_mentor():
    assert explain_pair(hand_made(seniority=6), 0, 0).evidence["seniority"] == "same seniority level"
    assert explain_pair(hand_made(seniority=7), 0, 0).evidence["seniority"] == "mentor is 1 level less senior"


def test_it_explains_every_pair_of_a_cohort_without_failing():
    problem = cohort(3)
    relaxed = replace(problem.constraints, min_shared_hours=0.0)
    problem = prepare(problem.mentees, problem.mentors, constraints=relaxed, weights=Weights())
    for i in range(0, 40, 3):
        for j in range(12):
            x = explain_pair(problem, i, j)
            assert x.summary
            assert set(x.evidence) == {*CRITERIA, "hours_mentor_local"}
            assert x.allowed == (problem.forbidden_reason(i, j) is None)
    assert np.isfinite(problem.pair(0, 0).score)


def blank_some_fields(people: list[Participant], seed: int) -> list[Participant]:
    """Each person loses each optional field with probability 1/6."""
    rng = np.random.default_rng(seed)
    empty: dict[str, Any] = {
        "availability": (),
        "languages": (),
        "skills_wanted": (),
        "skills_offered": (),
        "values": (),
        "interests": (),
        "goals": "",
        "channels": (),
        "seniority": None,
    }
    return [replace(p, **{f: v for f, v in empty.items() if rng.random() < 1 / 6}) for p in people]


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_explaining_many_pairs_at_once_gives_each_pairs_own_explanation(seed, departments):
    people = blank_some_fields(generate_cohort(60, 15, seed=seed), seed)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    problem = prepare(mentees, mentors, constraints=Constraints(separate_departments=departments))
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, len(mentees), 150), rng.integers(0, len(mentors), 150)
    batch = explain_pairs(problem, rows, cols)
    assert [(x.mentee, x.mentor) for x in batch] == list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert any(not x.allowed for x in batch)
    for x, i, j in zip(batch, rows.tolist(), cols.tolist(), strict=True):
        assert x == explain_pair(problem, i, j)
        assert x.forbidden == problem.forbidden_reason(i, j)


def test_it_explains_no_pairs_and_refuses_mismatched_lists():
    problem = cohort(1)
    assert explain_pairs(problem, [], []) == []
    with pytest.raises(ValueError, match=r"."):
        explain_pairs(problem, [0, 1], [0])
    with pytest.raises(IndexError):
        explain_pairs(problem, [40], [0])


def naive_runs(slots: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True, slot by slot, joined across the end of the week."""
    n = len(slots)
    if slots.all():
        return [(0, n)]
    runs = []
    for s in range(n):
        if slots[s] and not slots[s - 1]:
            length = 0
            while slots[(s + length) % n]:
                length += 1
            runs.append((s, length))
    return runs


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 671), st.integers(1, 700)), max_size=5), min_size=1, max_size=8
    )
)
def test_it_finds_runs_of_shared_slots_row_by_row(rows):
    slots = np.zeros((len(rows), WEEK_SLOTS), bool)
    for r, windows in enumerate(rows):
        for start, length in windows:
            slots[r, (start + np.arange(length)) % WEEK_SLOTS] = True
    found = _runs(slots)
    for r in range(len(rows)):
        assert sorted(found[r]) == sorted(naive_runs(slots[r]))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), WEIGHTS, st.booleans())
def test_summaries_alone_are_the_explanations_summaries(seed, weights, let_in):
    # meridian-match writes only the summary: it puts into words only the reasons named.
    people = blank_some_fields(generate_cohort(40, 12, seed=seed), seed)
    mentees = [p for p in people if p.role is Role.MENTEE]
    mentors = [p for p in people if p.role is Role.MENTOR]
    rules = Constraints(allow_all_incomplete=let_in)
    problem = prepare(mentees, mentors, weights=weights, constraints=rules)
    rows, cols = np.indices((len(mentees), len(mentors))).reshape(2, -1)
    whole = explain_pairs(problem, rows, cols)
    assert list(iter_summaries(problem, rows, cols)) == [x.summary for x in whole]
    assert not all(x.allowed for x in whole) or let_in
    for x in whole:
        assert x.missing == tuple(c for c in CRITERIA if x.evidence[c].endswith(explain.COUNTED_0))


def test_it_explains_pairs_one_chunk_at_a_time(monkeypatch):
    problem = cohort(2)
    rows, cols = np.arange(40) % 40, np.arange(40) % 12
    whole = explain_pairs(problem, rows, cols)
    monkeypatch.setattr(explain, "CHUNK", 7)
    assert list(iter_explanations(problem, rows, cols)) == whole
