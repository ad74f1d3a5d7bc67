"""Scoring: the documented formulas, hard constraints as a mask, candidates complete and pruned."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine import scoring
from matching_engine.demo import generate_cohort
from matching_engine.model import Participant, Role, Window
from matching_engine.problem import CRITERIA, Candidates, Constraints, Weights
from matching_engine.scoring import FORBIDDEN, Problem, prepare

BLANKABLE = (
    "availability",
    "languages",
    "skills_wanted",
    "skills_offered",
    "values",
    "interests",
    "goals",
    "channels",
    "seniority",
    "department",
)


def person(pid: str, role: Role = Role.MENTEE, **fields: object) -> Participant:
    values: dict[str, object] = {"time_zone": "UTC", "name": pid.title(), **fields}
    return Participant(id=pid, role=role, email=f"{pid}@example.org", **values)  # type: ignore[arg-type]


def split(people: list[Participant]) -> tuple[list[Participant], list[Participant]]:
    return [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]


# --- an independent brute force, pair by pair ------------------------------------------------------------


def _key(item: str) -> str:
    return " ".join(item.split()).casefold()


def _set(items: tuple[str, ...]) -> set[str]:
    return {_key(x) for x in items} - {""}


def _seniority(mentee: int | None, mentor: int | None) -> float:
    if mentee is None or mentor is None:
        return 0.0
    gap = mentor - mentee
    return 0.0 if gap < 0 else [1 / 3, 2 / 3, 1, 1, 1][gap] if gap <= 4 else max(0.0, 1 - (gap - 4) / 6)


def brute_components(problem: Problem, i: int, j: int) -> list[float]:
    """The components by the module's documented formulas, one pair at a time, in plain Python:
    a criterion (or half of values) one of the two gave nothing for counts 0."""
    e, m, f = problem.mentees[i], problem.mentors[j], problem.features
    text_e, text_m = f.mentees.text[[i]].toarray()[0], f.mentors.text[[j]].toarray()[0]
    text = float(text_e @ text_m) if text_e.any() and text_m.any() else 0.0
    pe, pm = _set(e.values + e.interests), _set(m.values + m.interests)
    phrases = len(pe & pm) / math.sqrt(len(pe) * len(pm)) if pe and pm else 0.0
    wanted, offered = _set(e.skills_wanted), _set(m.skills_offered)
    a_e, a_m = f.mentees.availability[i], f.mentors.availability[j]
    shared = int((a_e & a_m).sum()) / 4
    le, lm = set(e.languages), set(m.languages)
    ce, cm = set(e.channels), set(m.channels)
    return [
        min(text / 2 + phrases / 2, 1.0),
        len(wanted & offered) / len(wanted) if wanted else 0.0,
        min(shared / 4, 1.0),
        float(bool(le & lm)),
        _seniority(e.seniority, m.seniority),
        len(ce & cm) / len(ce | cm) if ce and cm else 0.0,
    ]


def chains(problem: Problem) -> dict[str, list[str]]:
    """Each person's managers, walking ``manager_id`` (stopping at a repeat)."""
    manager = {p.id: p.manager_id for p in (*problem.mentees, *problem.mentors)}
    found: dict[str, list[str]] = {}
    for start in manager:
        pid, chain = start, found.setdefault(start, [])
        while manager.get(pid, "") in manager and manager[pid] not in chain:
            pid = manager[pid]
            chain.append(pid)
    return found


def rule_met(c: Constraints, e: Participant, m: Participant, given: tuple[bool, bool], met: bool) -> bool:
    """A rule checked when both gave what it needs; else met only when each who did not is let in."""
    if all(given):
        return met
    return all(
        gave or c.allow_all_incomplete or p.id in c.allow_incomplete
        for p, gave in zip((e, m), given, strict=True)
    )


def brute_allowed(problem: Problem, i: int, j: int, chain: dict[str, list[str]] | None = None) -> bool:
    e, m, c, f = problem.mentees[i], problem.mentors[j], problem.constraints, problem.features
    chain = chain or chains(problem)
    a_e, a_m = f.mentees.availability[i], f.mentors.availability[j]
    shared = int((a_e & a_m).sum()) / 4
    departments = _key(e.department), _key(m.department)
    hours = (bool(a_e.any()), bool(a_m.any()))
    languages = (bool(e.languages), bool(m.languages))
    return not (
        e.id == m.id
        or (c.separate_reporting_lines and (m.id in chain[e.id] or e.id in chain[m.id]))
        or (
            c.separate_departments
            and not rule_met(
                c, e, m, (bool(departments[0]), bool(departments[1])), departments[0] != departments[1]
            )
        )
        or (c.min_shared_hours > 0 and not rule_met(c, e, m, hours, shared >= c.min_shared_hours))
        or (
            c.require_common_language
            and not rule_met(c, e, m, languages, bool(set(e.languages) & set(m.languages)))
        )
        or (e.id, m.id) in c.excluded_pairs
        or m.id in e.exclude_ids
        or e.id in m.exclude_ids
    )


def brute(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense scores, components and mask, pair by pair."""
    n, r = len(problem.mentees), len(problem.mentors)
    components = np.array([[brute_components(problem, i, j) for j in range(r)] for i in range(n)])
    components = components.reshape(n, r, len(CRITERIA))
    weights = problem.weights.as_array().astype(float)
    score = components @ weights / weights.sum() if weights.sum() else np.zeros((n, r))
    line = chains(problem)
    allowed = np.array([[brute_allowed(problem, i, j, line) for j in range(r)] for i in range(n)], bool)
    return score.reshape(n, r), components, allowed.reshape(n, r)


# --- random small instances --------------------------------------------------------------------------------


def blanked(fields: list[str]) -> dict[str, Any]:
    """Changes that empty the given fields of a person."""
    return {
        field: "" if field in ("goals", "department") else None if field == "seniority" else ()
        for field in fields
    }


@st.composite
def instances(draw: st.DrawFn) -> Problem:
    """A demo cohort with some fields blanked, random exclusions, a self-pair, random constraints."""
    mentees, mentors = split(
        generate_cohort(draw(st.integers(3, 30)), draw(st.integers(2, 12)), seed=draw(st.integers(0, 999)))
    )
    blank = st.lists(st.sampled_from(BLANKABLE), max_size=3, unique=True)
    mentees = [replace(p, **blanked(draw(blank))) for p in mentees]
    mentors = [replace(p, **blanked(draw(blank))) for p in mentors]
    if draw(st.booleans()):
        mentors.append(replace(mentees[0], role=Role.MENTOR))  # the same person on both sides
    pairs = st.tuples(st.sampled_from([p.id for p in mentees]), st.sampled_from([p.id for p in mentors]))
    excluded = frozenset(draw(st.lists(pairs, max_size=6)))
    ask = st.tuples(st.integers(0, len(mentees) - 1), st.sampled_from([p.id for p in mentors]))
    for i, other in draw(st.lists(ask, max_size=4)):
        mentees[i] = replace(mentees[i], exclude_ids=(*mentees[i].exclude_ids, other))
    everyone = [p.id for p in (*mentees, *mentors)]
    constraints = Constraints(
        allow_incomplete=frozenset(draw(st.lists(st.sampled_from(everyone), max_size=5))),
        allow_all_incomplete=draw(st.integers(0, 5)) == 0,
        min_shared_hours=draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])),
        require_common_language=draw(st.booleans()),
        separate_departments=draw(st.booleans()),
        separate_reporting_lines=draw(st.booleans()),
        excluded_pairs=excluded,
    )
    weights = Weights(*draw(st.lists(st.sampled_from([0.0, 0.25, 1.0, 2.0]), min_size=6, max_size=6)))
    return prepare(mentees, mentors, weights=weights, constraints=constraints)


@contextmanager
def small_blocks(workers: int = 2) -> Iterator[None]:
    """Blocks of a few mentees, so candidates are merged across many blocks and threads."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "BLOCK_PAIRS", 40)
        patch.setattr(scoring, "MAX_WORKERS", workers)
        yield


def pairs_of(c: Candidates) -> set[tuple[int, int]]:
    return set(zip(c.mentee.tolist(), c.mentor.tolist(), strict=True))


# --- properties ---------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(instances(), st.integers(1, 4), st.booleans())
def test_it_never_lets_a_forbidden_pair_into_the_candidates(problem, k, full):
    with small_blocks():
        c = problem.candidates(k=k, full=full)
    _, _, expected = brute(problem)
    assert all(expected[i, j] for i, j in pairs_of(c))
    _, _, allowed = problem.pairs(*np.indices(expected.shape))
    assert np.array_equal(allowed.reshape(expected.shape), expected)
    for i, j in list(np.ndindex(*expected.shape))[::7]:  # the words agree with the mask
        assert (problem.forbidden_reason(i, j) is None) == bool(expected[i, j])


@settings(max_examples=20, deadline=None)
@given(instances())
def test_it_lists_every_allowed_pair_with_its_score_when_complete(problem):
    with small_blocks():
        c = problem.candidates(full=True)
    score, components, allowed = brute(problem)
    assert c.complete
    assert pairs_of(c) == set(zip(*np.nonzero(allowed), strict=True))
    assert np.allclose(c.score, score[c.mentee, c.mentor], atol=1e-5)
    assert np.allclose(c.components, components[c.mentee, c.mentor], atol=1e-5)
    assert np.array_equal(c.capacity, [p.capacity for p in problem.mentors])
    assert c.n_mentees == len(problem.mentees)
    assert np.all((c.components >= 0) & (c.components <= 1))


@settings(max_examples=20, deadline=None)
@given(instances(), st.integers(1, 4), st.sampled_from([1, 2]))
def test_it_keeps_each_sides_true_top_k_when_pruned(problem, k, workers):
    with small_blocks(workers):
        c = problem.candidates(k=k, full=False)
    score, _, allowed = brute(problem)
    found = pairs_of(c)
    for scores, ok, side in ((score, allowed, 0), (score.T, allowed.T, 1)):
        for a in range(len(scores)):
            best = np.sort(scores[a][ok[a]])[::-1]
            if len(best) > k:  # every pair clearly better than the k-th best is in
                sure = np.flatnonzero(ok[a] & (scores[a] > best[k - 1] + 1e-5))
            else:
                sure = np.flatnonzero(ok[a])
            assert all(((a, int(b)) if side == 0 else (int(b), a)) in found for b in sure)


@settings(max_examples=20, deadline=None)
@given(instances(), st.integers(1, 3))
def test_it_bounds_every_left_out_pair_by_the_cutoff(problem, k):
    with small_blocks():
        c = problem.candidates(k=k, full=False)
    score, _, allowed = brute(problem)
    left_out = allowed.copy()
    left_out[c.mentee, c.mentor] = False
    best_left = np.where(left_out, score, 0).max(axis=1, initial=0)
    assert np.all(c.cutoff >= best_left - 1e-5)
    # never looser than the plain (k + 1)-th best allowed score of the mentee
    plain = [np.sort(row[ok])[::-1][k] if ok.sum() > k else 0 for row, ok in zip(score, allowed, strict=True)]
    assert np.all(c.cutoff <= np.array(plain) + 1e-5)


@settings(max_examples=15, deadline=None)
@given(instances())
def test_it_totals_a_block_like_the_pair_by_pair_formulas(problem):
    n, r = len(problem.mentees), len(problem.mentors)
    total, ok, _ = problem._maths.fused.block(0, n)
    score, _, allowed = problem.pairs(*np.indices((n, r)))
    assert np.array_equal(ok, allowed.reshape(n, r))
    assert np.allclose(total[ok], score.reshape(n, r)[ok], atol=1e-5)
    assert np.all(total[~ok] < FORBIDDEN)


# --- examples ---------------------------------------------------------------------------------------------


def test_it_scores_a_hand_made_pair_by_the_documented_formulas():
    ana = person(
        "ana",
        seniority=3,
        channels=("video", "email"),
        skills_wanted=("SQL", "Kubernetes", "Go", "Python"),
        availability=(Window(0, 9 * 60, 12 * 60),),
        languages=("en",),
        values=("integrity",),
    )
    ben = person(
        "ben",
        Role.MENTOR,
        seniority=6,
        channels=("video",),
        skills_offered=("sql", "Go"),
        availability=(Window(0, 10 * 60, 11 * 60),),
        languages=("en", "de"),
        values=("Integrity",),
    )
    score, components, allowed = prepare([ana], [ben]).pair(0, 0)
    expected = {
        "values": 1.0,
        "skills": 0.5,
        "hours": 0.25,
        "languages": 1.0,
        "seniority": 1.0,
        "channels": 0.5,
    }
    assert components == pytest.approx(expected, abs=1e-6)
    assert score == pytest.approx((1 + 1.5 * 0.5 + 0.25 + 0.5 + 0.5 + 0.25 * 0.5) / 4.75, abs=1e-6)
    assert allowed


@pytest.mark.parametrize(
    ("mentee", "mentor", "expected"),
    [
        (5, 4, 0.0),
        (5, 5, 1 / 3),
        (5, 6, 2 / 3),
        (5, 7, 1.0),
        (5, 9, 1.0),
        (1, 8, 0.5),
        (1, 10, 1 / 6),
        (None, 5, 0.0),
    ],
)
def test_it_prefers_a_mentor_two_to_four_levels_up(mentee, mentor, expected):
    problem = prepare([person("a", seniority=mentee)], [person("b", Role.MENTOR, seniority=mentor)])
    assert problem.pair(0, 0).components["seniority"] == pytest.approx(expected, abs=1e-6)


def test_it_counts_0_for_every_criterion_people_gave_nothing_for():
    # Was 0.5 each (neutral), so an empty profile scored 0.5 and beat most real pairs.
    nothing = Constraints(min_shared_hours=0, require_common_language=False)
    score, components, allowed = prepare([person("a")], [person("b", Role.MENTOR)], constraints=nothing).pair(
        0, 0
    )
    assert components == dict.fromkeys(CRITERIA, 0.0)
    assert score == 0
    assert allowed


def test_it_never_lets_an_empty_profile_outscore_a_real_match():
    real: dict[str, Any] = {
        "availability": (Window(0, 9 * 60, 10 * 60),),
        "languages": ("en",),
        "seniority": 3,
    }
    ana = person("ana", skills_wanted=("SQL",), channels=("video",), **real)
    ben = person("ben", Role.MENTOR, skills_offered=("Go",), channels=("phone",), **{**real, "seniority": 2})
    rules = Constraints(allow_all_incomplete=True)
    problem = prepare([ana, person("cal")], [ben], constraints=rules)
    assert problem.pair(1, 0).score == 0 < problem.pair(0, 0).score


def test_it_counts_only_the_half_of_values_both_gave():
    ana = person("ana", goals="I want to grow as a leader", values=("curiosity",))
    ben = person("ben", Role.MENTOR, goals="I coach new leaders")
    assert prepare([ana], [ben]).pair(0, 0).components["values"] == 0  # was 0.25: a neutral half
    both = prepare([ana], [replace(ben, values=("Curiosity",))]).pair(0, 0).components["values"]
    assert both > 0.5


def test_it_counts_four_shared_hours_as_full_marks():
    ana = person("ana", availability=(Window(1, 8 * 60, 18 * 60),))
    ben = person("ben", Role.MENTOR, time_zone="Asia/Kolkata", availability=(Window(1, 14 * 60, 19 * 60),))
    problem = prepare([ana], [ben])
    assert problem.measures(0, 0).hours.tolist() == [5 * 4]  # 08:30-13:30 UTC
    assert problem.pair(0, 0).components["hours"] == 1.0


def test_it_scores_zero_when_every_weight_is_zero_and_refuses_negative_weights():
    zero = Weights(0, 0, 0, 0, 0, 0)
    assert prepare([person("a")], [person("b", Role.MENTOR)], weights=zero).pair(0, 0).score == 0
    with pytest.raises(ValueError, match="weights"):
        prepare([person("a")], [person("b", Role.MENTOR)], weights=Weights(values=-1))


def test_it_handles_empty_sides():
    for mentees, mentors in (([], [person("b", Role.MENTOR)]), ([person("a")], []), ([], [])):
        for full in (True, False):
            c = prepare(mentees, mentors).candidates(full=full)
            assert len(c.mentee) == len(c.score) == 0
            assert c.components.shape == (0, len(CRITERIA))
            assert c.n_mentees == len(mentees)
            assert len(c.cutoff) == len(mentees)


def test_it_gives_the_same_candidates_every_time():
    problem = prepare(*split(generate_cohort(120, 40, seed=11)))
    with small_blocks():
        first, second = problem.candidates(k=3, full=False), problem.candidates(k=3, full=False)
    for name in ("mentee", "mentor", "score", "components", "cutoff"):
        assert np.array_equal(getattr(first, name), getattr(second, name))


def test_it_chooses_complete_candidates_for_small_cohorts():
    problem = prepare(*split(generate_cohort(50, 20, seed=2)))
    assert problem.candidates().complete
    assert not problem.candidates(full=False, k=3).complete
    assert problem.candidates(full=False, k=20).complete  # k covers every mentor
    with pytest.raises(ValueError, match="k"):
        problem.candidates(k=0)


def org() -> Problem:
    """Ben manages Ana, who manages Cal; Eve works elsewhere at other hours; Ana is also a mentor."""
    monday = (Window(0, 9 * 60, 17 * 60),)
    ana = person(
        "a", name="Ana", manager_id="b", department="Finance", languages=("en",), availability=monday
    )
    cal = person("c", name="Cal", manager_id="a", exclude_ids=("e",))
    ben = person("b", Role.MENTOR, name="Ben", department="Finance", languages=("en",), availability=monday)
    early = (Window(0, 8 * 60, 9 * 60 + 30),)
    eve = person("e", Role.MENTOR, name="Eve", department="Sales", languages=("fr",), availability=early)
    fay = person("f", Role.MENTOR, name="Fay", exclude_ids=("c",))
    constraints = Constraints(  # Cal and Fay gave little: let in, so the rules skip what they left out
        separate_departments=True, excluded_pairs=frozenset({("a", "e")}), allow_all_incomplete=True
    )
    mentors = [ben, eve, fay, replace(ana, role=Role.MENTOR)]
    return prepare([ana, cal], mentors, constraints=constraints)


@pytest.mark.parametrize(
    ("mentee", "mentor", "reason"),
    [
        (0, 0, "same reporting line: Ana reports to Ben; same department (Finance)"),
        (1, 0, "same reporting line: Cal reports to Ben (through Ana)"),
        (
            0,
            1,
            "only 0.5 h a week of shared time (minimum 1 h); no language in common; excluded by the manager",
        ),
        (1, 1, "Cal asked not to be matched with Eve"),
        (1, 2, "Fay asked not to be matched with Cal"),
        (0, 3, "the same person (Ana); same department (Finance)"),
        (1, 3, "same reporting line: Cal reports to Ana"),
        (0, 2, None),
    ],
)
def test_it_says_why_a_pair_is_forbidden_in_words(mentee, mentor, reason):
    problem = org()
    assert problem.forbidden_reason(mentee, mentor) == reason
    assert problem.pair(mentee, mentor).allowed is (reason is None)


def test_it_says_when_there_is_no_shared_time_at_all():
    ana = person("ana", availability=(Window(0, 0, 60),), languages=("en",))
    ben = person("ben", Role.MENTOR, availability=(Window(3, 0, 60),), languages=("en",))
    assert prepare([ana], [ben]).forbidden_reason(0, 0) == "no shared time in the week (minimum 1 h)"


def test_it_does_not_meet_a_rule_it_cannot_check_for_lack_of_data():
    # Was allowed: a person who gave no languages or availability was not held to those rules.
    ana = person("ana", languages=("en",), availability=(Window(0, 0, 60),))
    problem = prepare([ana, person("cal")], [person("ben", Role.MENTOR)])
    assert not problem.pair(0, 0).allowed
    assert not problem.pair(1, 0).allowed
    assert problem.forbidden_reason(0, 0) == (
        "Ben gave no availability, so the minimum of 1 h a week together cannot be checked; "
        "Ben gave no languages, so a common language cannot be checked"
    )
    assert str(problem.forbidden_reason(1, 0)).startswith("Cal and Ben gave no availability")
    ben = person("ben", Role.MENTOR, languages=("fr",), availability=(Window(0, 0, 60),))
    assert prepare([ana], [ben]).forbidden_reason(0, 0) == "no language in common"


def test_it_does_not_meet_separate_departments_without_a_department():
    ana, ben = person("ana", department="Sales"), person("ben", Role.MENTOR)
    rules = Constraints(min_shared_hours=0, require_common_language=False, separate_departments=True)
    problem = prepare([ana], [ben], constraints=rules)
    assert (
        problem.forbidden_reason(0, 0) == "Ben gave no department, so different departments cannot be checked"
    )
    let_in = prepare([ana], [ben], constraints=replace(rules, allow_incomplete=frozenset({"ben"})))
    assert let_in.pair(0, 0).allowed


def test_it_lets_the_rules_skip_only_what_the_people_let_in_did_not_give():
    monday = (Window(0, 9 * 60, 17 * 60),)
    ana = person("ana", languages=("en",))  # no availability
    cal = person("cal", languages=("fr",))  # no availability, another language
    ben = person("ben", Role.MENTOR, languages=("en",), availability=monday)
    bob = person("bob", Role.MENTOR, availability=monday)  # no languages
    rules = Constraints(allow_incomplete=frozenset({"ana", "cal"}))
    problem = prepare([ana, cal], [ben, bob], constraints=rules)
    assert problem.pair(0, 0).allowed  # the hours skipped for Ana; the language still checked
    assert problem.forbidden_reason(1, 0) == "no language in common"
    assert problem.forbidden_reason(0, 1) == "Bob gave no languages, so a common language cannot be checked"
    everyone = prepare([ana, cal], [ben, bob], constraints=Constraints(allow_all_incomplete=True))
    assert everyone.pair(0, 1).allowed
    assert not everyone.pair(1, 0).allowed
