"""Features: availability in UTC slots of a reference week, vocabularies, TF-IDF, the reporting tree."""

from __future__ import annotations

import math
import zoneinfo
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching_engine.demo import generate_cohort
from matching_engine.features import (
    WEEK_SLOTS,
    availability_slots,
    build_features,
    manager_chains,
)
from matching_engine.measures import Measurer
from matching_engine.model import Participant, Role, Window

ZONES = (
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "America/New_York",
    "Europe/London",
    "Pacific/Chatham",
    "America/St_Johns",
    "UTC",
)
WEEK_MINUTES = 7 * 24 * 60
# Mondays around daylight-saving changes (US, EU, Australia, Chatham) and plain weeks.
MONDAYS = [date(2026, 1, 5) + timedelta(weeks=w) for w in range(53)]


def person(pid: str, role: Role = Role.MENTEE, **fields: object) -> Participant:
    values: dict[str, object] = {"time_zone": "UTC", **fields}
    return Participant(id=pid, role=role, name=pid, email=f"{pid}@example.org", **values)  # type: ignore[arg-type]


def split(people: list[Participant]) -> tuple[list[Participant], list[Participant]]:
    return [p for p in people if p.role is Role.MENTEE], [p for p in people if p.role is Role.MENTOR]


def utc_minutes(p: Participant, reference: date) -> set[int]:
    """Brute force: every minute of the person's windows, converted one by one with zoneinfo."""
    tz = zoneinfo.ZoneInfo(p.time_zone)
    local_monday = datetime(reference.year, reference.month, reference.day, tzinfo=tz)
    utc_monday = datetime(reference.year, reference.month, reference.day, tzinfo=UTC)
    minutes = set()
    for w in p.availability:
        for minute in range(w.start, w.end):
            local = local_monday + timedelta(days=w.weekday, minutes=minute)  # wall-clock arithmetic
            minutes.add(int((local.astimezone(UTC) - utc_monday).total_seconds() // 60) % WEEK_MINUTES)
    return minutes


windows = st.lists(
    st.builds(
        lambda day, start, length: Window(day, start * 15, min(96, start + length) * 15),
        st.integers(0, 6),
        st.integers(0, 95),
        st.integers(1, 40),
    ),
    max_size=3,
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ZONES), windows, st.sampled_from(ZONES), windows, st.sampled_from(MONDAYS))
def test_it_counts_shared_hours_like_a_per_minute_brute_force(zone_a, windows_a, zone_b, windows_b, monday):
    a = person("a", time_zone=zone_a, availability=tuple(windows_a))
    b = person("b", role=Role.MENTOR, time_zone=zone_b, availability=tuple(windows_b))
    slots = availability_slots([a, b], monday)
    expected = len(utc_minutes(a, monday) & utc_minutes(b, monday)) / 60
    assert (slots[0] & slots[1]).sum() / 4 == expected
    assert slots[0].sum() * 15 == len(utc_minutes(a, monday))


def test_it_multiplies_availability_into_shared_hours_for_all_pairs():
    mentees, mentors = split(generate_cohort(60, 25, seed=3))
    features = build_features(mentees, mentors)
    e, m = features.mentees.availability.astype(int), features.mentors.availability.astype(int)
    shared = Measurer(features).block(0, len(mentees)).hours
    assert np.array_equal(shared, e @ m.T)


def test_it_puts_quarter_hour_zones_on_the_right_slots():
    kathmandu = person("k", time_zone="Asia/Kathmandu", availability=(Window(0, 9 * 60, 10 * 60),))
    slots = availability_slots([kathmandu], date(2026, 1, 5))[0]
    assert np.flatnonzero(slots).tolist() == list(range(13, 17))  # Mon 03:15-04:15 UTC


def test_it_wraps_a_window_that_crosses_the_start_of_the_week_in_utc():
    sydney = person("s", time_zone="Australia/Sydney", availability=(Window(0, 8 * 60, 12 * 60),))
    slots = availability_slots([sydney], date(2026, 1, 5))[0]  # UTC+11: Sun 21:00 - Mon 01:00 UTC
    assert np.flatnonzero(slots).tolist() == [0, 1, 2, 3, *range(WEEK_SLOTS - 12, WEEK_SLOTS)]


def test_it_takes_daylight_saving_from_the_reference_week():
    new_york = person("n", time_zone="America/New_York", availability=(Window(0, 9 * 60, 10 * 60),))
    winter = availability_slots([new_york], date(2026, 1, 5))[0]
    summer = availability_slots([new_york], date(2026, 7, 6))[0]
    assert np.flatnonzero(winter)[0] == 14 * 4
    assert np.flatnonzero(summer)[0] == 13 * 4


def test_it_leaves_people_without_availability_empty():
    slots = availability_slots([person("x", time_zone="Asia/Kolkata")], date(2026, 1, 5))
    assert slots.shape == (1, WEEK_SLOTS)
    assert not slots.any()


def test_it_rejects_a_reference_that_is_not_a_monday():
    with pytest.raises(ValueError, match="Monday"):
        build_features([person("a")], [person("b", Role.MENTOR)], reference=date(2026, 1, 6))


def test_it_rejects_an_unknown_time_zone():
    bad = person("a", time_zone="Mars/Olympus", availability=(Window(0, 0, 60),))
    with pytest.raises(ValueError, match="Mars/Olympus"):
        availability_slots([bad], date(2026, 1, 5))


def test_it_shares_vocabularies_across_sides_case_insensitively():
    mentee = person("a", skills_wanted=("SQL", "Kubernetes"), languages=("en", "es"), values=("Integrity",))
    mentor = person(
        "b", Role.MENTOR, skills_offered=(" sql ", "Go"), languages=("es",), values=("integrity ",)
    )
    f = build_features([mentee], [mentor])
    assert f.skills == ("SQL", "Kubernetes", "Go")
    assert (f.mentees.skills_wanted @ f.mentors.skills_offered.T).toarray().tolist() == [[1.0]]
    assert f.languages == ("en", "es")
    assert f.mentees.languages.tolist() == [[0b11]]
    assert f.mentors.languages.tolist() == [[0b10]]
    assert (f.mentees.phrases @ f.mentors.phrases.T).toarray().tolist() == [[1.0]]


def test_it_codes_channels_seniority_and_departments():
    mentee = person("a", channels=("video", "email"), seniority=3, department="Finance")
    mentor = person("b", Role.MENTOR, department="finance")
    f = build_features([mentee], [mentor])
    assert f.mentees.channels.tolist() == [0b101]
    assert f.mentors.channels.tolist() == [0]
    assert f.mentees.seniority.tolist() == [3]
    assert f.mentors.seniority.tolist() == [0]
    assert f.mentees.department.tolist() == f.mentors.department.tolist() == [0]
    assert f.departments == ("Finance",)


def test_it_fits_tfidf_on_both_sides():
    # "cat" is in one person's words, "dog" in two of three (stop words and "a" left out).
    mentee = person("a", values=("Cat", "the cat"), goals="A dog")
    mentors = [person("b", Role.MENTOR, interests=("dogs", "dog")), person("c", Role.MENTOR)]
    f = build_features([mentee], mentors)
    assert f.terms == ("cat", "dog", "dogs")
    cat, dog, dogs = math.log(4 / 2) + 1, math.log(4 / 3) + 1, math.log(4 / 2) + 1
    mentee_row = np.array([(1 + math.log(2)) * cat, dog, 0])
    mentor_row = np.array([0, dog, dogs])
    assert np.allclose(f.mentees.text.toarray()[0], mentee_row / np.linalg.norm(mentee_row))
    assert np.allclose(f.mentors.text.toarray()[0], mentor_row / np.linalg.norm(mentor_row))
    assert f.mentors.text.toarray()[1].tolist() == [0, 0, 0]


def test_its_tfidf_rows_are_unit_length_on_a_cohort():
    mentees, mentors = split(generate_cohort(40, 15, seed=5))
    f = build_features(mentees, mentors)
    ours = np.vstack([f.mentees.text.toarray(), f.mentors.text.toarray()])
    words = [" ".join((*p.values, *p.interests, p.goals)).lower() for p in mentees + mentors]
    assert f.terms
    assert all(any(term in text for text in words) for term in f.terms)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)


def test_it_gives_no_terms_when_nobody_wrote_anything():
    f = build_features([person("a")], [person("b", Role.MENTOR)])
    assert f.terms == ()
    assert f.mentees.text.shape == (1, 0)


def test_it_follows_the_manager_chain_at_any_depth():
    ceo = person("ceo", Role.MENTOR)
    vp = person("vp", Role.MENTEE, manager_id="ceo")
    lead = person("lead", Role.MENTOR, manager_id="vp")
    dev = person("dev", Role.MENTEE, manager_id="lead")
    other = person("other", Role.MENTEE, manager_id="outside")
    f = build_features([vp, dev, other], [ceo, lead])
    assert f.mentees.managers == (("ceo",), ("lead", "vp", "ceo"), ())
    # vp-ceo, vp-lead (lead reports to vp), dev-ceo, dev-lead; "other" reports to nobody here
    assert f.same_line.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_it_cuts_a_manager_cycle():
    a, b = person("a", manager_id="b"), person("b", Role.MENTOR, manager_id="a")
    chains = manager_chains([a, b])
    assert set(chains) == {"a", "b"}
    assert all(len(chain) <= 1 for chain in chains.values())
