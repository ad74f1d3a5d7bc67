"""The demo organisation: deterministic, a valid reporting tree, and believable enough to show."""

from __future__ import annotations

import itertools
import re
import zoneinfo
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.demo import generate_cohort, generate_people
from matching_engine.languages import ISO_639_1
from matching_engine.model import CHANNELS, Participant, Role
from matching_engine.participants import read_participants, write_participants_csv

CONTINENTS = {
    "America/New_York": "North America",
    "America/Chicago": "North America",
    "America/Los_Angeles": "North America",
    "America/Mexico_City": "North America",
    "America/Sao_Paulo": "South America",
    "Europe/London": "Europe",
    "Europe/Berlin": "Europe",
    "Africa/Lagos": "Africa",
    "Africa/Nairobi": "Africa",
    "Asia/Kolkata": "Asia",
    "Asia/Kathmandu": "Asia",
    "Asia/Singapore": "Asia",
    "Asia/Tokyo": "Asia",
    "Australia/Sydney": "Oceania",
    "Pacific/Auckland": "Oceania",
}
NAMED_ZONES = {
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Sao_Paulo",
}
TEXT_FIELDS = ("id", "name", "email", "time_zone", "title", "department", "manager_id", "goals")
LIST_FIELDS = (
    "languages",
    "skills_offered",
    "skills_wanted",
    "interests",
    "values",
    "channels",
    "exclude_ids",
)
EMAIL = re.compile(r"[a-z]+\.[a-z]+[0-9]*@northwind\.example")


@pytest.fixture(scope="module")
def people() -> list[Participant]:
    return generate_people(300)


def assert_valid_tree(people: Sequence[Participant]) -> None:
    by_id = {p.id: p for p in people}
    roots = [p for p in people if not p.manager_id]
    assert len(roots) == 1
    assert roots[0].seniority == 10
    assert roots[0].title == "Chief Executive Officer"
    for person in people:
        seen = {person.id}
        current = person
        while current.manager_id:
            manager = by_id[current.manager_id]  # every manager exists in the list
            assert (manager.seniority or 0) > (current.seniority or 0)
            assert manager.id not in seen, "a cycle"
            seen.add(manager.id)
            current = manager


def assert_valid_people(people: Sequence[Participant]) -> None:
    ids = [p.id for p in people]
    assert len(set(ids)) == len(ids)
    assert len({p.email for p in people}) == len(people)
    assert_valid_tree(people)
    for person in people:
        assert_valid_person(person, set(ids))


def assert_valid_person(person: Participant, ids: set[str]) -> None:
    assert EMAIL.fullmatch(person.email), person.email
    assert person.time_zone in CONTINENTS
    assert 2 <= len(person.availability) <= 5
    for window in person.availability:
        assert 0 <= window.weekday <= 6
        assert 0 <= window.start < window.end <= 1440
        assert window.start % 15 == 0
        assert window.end % 15 == 0
    assert person.seniority is not None
    assert 1 <= person.seniority <= 10
    assert person.languages[0] == "en"
    assert 1 <= len(person.languages) <= 3
    assert set(person.languages) <= ISO_639_1
    assert 1 <= len(person.channels) <= 3
    assert set(person.channels) <= set(CHANNELS)
    assert person.id not in person.exclude_ids
    assert set(person.exclude_ids) <= ids
    for name in TEXT_FIELDS:
        assert not str(getattr(person, name)).startswith(("=", "+", "-", "@")), name
    for name in LIST_FIELDS:
        items = getattr(person, name)
        assert len(set(items)) == len(items), name
        assert all(item and ";" not in item for item in items), name


def test_it_is_deterministic_for_a_seed_and_different_for_another() -> None:
    assert generate_people(200, seed=11) == generate_people(200, seed=11)
    assert generate_people(200, seed=11) != generate_people(200, seed=12)
    assert generate_cohort(40, 10, seed=3) == generate_cohort(40, 10, seed=3)


def test_it_makes_about_a_quarter_mentors_who_skew_senior(people: list[Participant]) -> None:
    roles = Counter(p.role for p in people)
    assert roles == {Role.MENTOR: 75, Role.MENTEE: 225}
    mentors = [p.seniority or 0 for p in people if p.role is Role.MENTOR]
    mentees = [p.seniority or 0 for p in people if p.role is Role.MENTEE]
    assert sum(mentors) / len(mentors) > sum(mentees) / len(mentees) + 0.5


def test_it_follows_the_mentor_share() -> None:
    roles = Counter(p.role for p in generate_people(1000, mentor_share=0.4))
    assert roles[Role.MENTOR] == 400


def test_it_builds_a_valid_reporting_tree(people: list[Participant]) -> None:
    assert_valid_tree(people)
    for n in (1, 2, 3, 7, 12, 19, 1000):
        assert_valid_tree(generate_people(n))


def test_it_keeps_spans_between_four_and_ten_in_a_grown_organisation() -> None:
    spans = Counter(p.manager_id for p in generate_people(5000) if p.manager_id)
    assert min(spans.values()) >= 4
    assert max(spans.values()) <= 10


def test_it_lines_up_titles_with_seniority(people: list[Participant]) -> None:
    by_id = {p.id: p for p in people}
    vps = [p for p in people if p.seniority == 9]
    assert {p.title for p in vps} >= {"VP Engineering", "VP Sales", "General Counsel"}
    assert all(by_id[p.manager_id].seniority == 10 for p in vps)
    assert any(p.title == "Senior Software Engineer" and p.seniority == 5 for p in people)
    assert any(p.title == "Engineering Manager" and p.seniority == 6 for p in people)
    large = generate_people(3000)
    assert any(p.title == "Director of Engineering" and p.seniority == 8 for p in large)


def test_it_keeps_directors_under_a_vp_of_their_own_department() -> None:
    large = generate_people(3000)
    by_id = {p.id: p for p in large}
    directors = [p for p in large if p.seniority == 8]
    assert directors
    for director in directors:
        vp = by_id[director.manager_id]
        assert vp.seniority == 9
        assert vp.department == director.department


def test_it_spreads_people_over_twelve_zones_on_five_continents(people: list[Participant]) -> None:
    zones = Counter(p.time_zone for p in people)
    assert len(zones) >= 12
    assert len({CONTINENTS[zone] for zone in zones}) >= 5
    assert set(zones) >= NAMED_ZONES
    for zone in zones:
        zoneinfo.ZoneInfo(zone)


def test_it_weights_zones_so_none_is_rare() -> None:
    zones = Counter(p.time_zone for p in generate_people(20_000))
    assert len(zones) == len(CONTINENTS)
    assert min(zones.values()) >= 0.025 * 20_000


def test_it_writes_valid_availability_windows(people: list[Participant]) -> None:
    for person in people:
        windows = person.availability
        assert 2 <= len(windows) <= 5
        assert list(windows) == sorted(windows)
        for earlier, later in itertools.pairwise(windows):
            assert earlier.weekday < later.weekday or earlier.end < later.start
    weekdays = Counter(w.weekday for p in people for w in p.availability)
    assert sum(weekdays[day] for day in range(5)) > 0.9 * weekdays.total()


def test_it_gives_unique_ids_and_ascii_emails(people: list[Participant]) -> None:
    assert [p.id for p in people[:3]] == ["E10001", "E10002", "E10003"]
    assert_valid_people(people)
    big = generate_people(20_000)
    assert len({p.email for p in big}) == len(big)
    assert all(EMAIL.fullmatch(p.email) for p in big)


def test_it_sizes_skills_by_role(people: list[Participant]) -> None:
    for person in people:
        if person.role is Role.MENTOR:
            assert 3 <= len(person.skills_offered) <= 6
            assert 1 <= person.capacity <= 3
        else:
            assert 2 <= len(person.skills_wanted) <= 4
            assert 1 <= len(person.skills_offered) <= 3
            assert person.capacity == 1
        assert not set(person.skills_offered) & set(person.skills_wanted)
        assert person.goals.endswith(".")


def test_it_excludes_an_existing_colleague_for_about_one_percent() -> None:
    big = generate_people(10_000)
    ids = {p.id for p in big}
    excluding = [p for p in big if p.exclude_ids]
    assert 40 <= len(excluding) <= 200
    assert all(len(p.exclude_ids) == 1 and p.exclude_ids[0] in ids - {p.id} for p in excluding)


def test_it_generates_a_cohort_with_exact_counts_and_capacities() -> None:
    cohort = generate_cohort(400, 100, seed=5, capacity=(2, 4))
    assert Counter(p.role for p in cohort) == {Role.MENTEE: 400, Role.MENTOR: 100}
    mentor_capacities = Counter(p.capacity for p in cohort if p.role is Role.MENTOR)
    assert set(mentor_capacities) == {2, 3, 4}
    assert all(p.capacity == 1 for p in cohort if p.role is Role.MENTEE)
    assert_valid_people(cohort)


def test_it_handles_empty_and_one_sided_cohorts() -> None:
    assert generate_people(0) == []
    assert generate_cohort(0, 0) == []
    assert all(p.role is Role.MENTEE for p in generate_cohort(5, 0))
    assert all(p.role is Role.MENTOR for p in generate_cohort(0, 5))


def test_it_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"."):
        generate_people(-1)
    with pytest.raises(ValueError, match=r"."):
        generate_people(10, mentor_share=1.5)
    with pytest.raises(ValueError, match=r"."):
        generate_cohort(10, 10, capacity=(3, 2))


def test_it_round_trips_through_the_participant_file(people: list[Participant]) -> None:
    result = read_participants(write_participants_csv(people).encode())
    assert result.ok, result.errors[:3]
    assert list(result.people) == people


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=60),
    seed=st.integers(min_value=0, max_value=2**32),
    share=st.floats(min_value=0.0, max_value=1.0),
)
def test_it_stays_valid_for_any_small_organisation(n: int, seed: int, share: float) -> None:
    people = generate_people(n, seed=seed, mentor_share=share)
    assert len(people) == n
    assert sum(p.role is Role.MENTOR for p in people) == round(n * share)
    assert_valid_people(people)


@settings(max_examples=30, deadline=None)
@given(mentees=st.integers(0, 40), mentors=st.integers(0, 20), low=st.integers(1, 5), extra=st.integers(0, 3))
def test_it_stays_valid_for_any_small_cohort(mentees: int, mentors: int, low: int, extra: int) -> None:
    cohort = generate_cohort(mentees, mentors, capacity=(low, low + extra))
    assert sum(p.role is Role.MENTOR for p in cohort) == mentors
    assert all(low <= p.capacity <= low + extra for p in cohort if p.role is Role.MENTOR)
    if cohort:
        assert_valid_people(cohort)
