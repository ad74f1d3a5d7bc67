from __future__ import annotations

import contextlib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching_engine.availability import (
    AvailabilityError,
    format_availability,
    merge_windows,
    parse_availability,
    weekly_minutes,
)
from matching_engine.model import Window

windows = st.builds(
    lambda weekday, start, length: Window(weekday, start * 15, min(96, start + length) * 15),
    st.integers(0, 6),
    st.integers(0, 95),
    st.integers(1, 96),
)


def test_it_parses_the_documented_example():
    assert parse_availability("Mon 09:00-12:00; Wed 14:00-17:30") == (
        Window(0, 540, 720),
        Window(2, 840, 1050),
    )


def test_it_reads_days_in_any_case_and_loose_spacing():
    assert parse_availability("  sUN 08:00 - 09:15 ;;mon 00:00-00:15; ") == (
        Window(0, 0, 15),
        Window(6, 480, 555),
    )


@pytest.mark.parametrize("text", ["", "   ", ";", " ; ; "])
def test_it_reads_empty_text_as_no_windows(text):
    assert parse_availability(text) == ()


def test_it_allows_a_window_to_end_at_midnight():
    assert parse_availability("Fri 22:00-24:00") == (Window(4, 1320, 1440),)


def test_it_sorts_and_merges_overlapping_and_touching_windows():
    text = "Wed 10:00-11:00; Mon 13:00-14:00; Mon 09:00-12:00; Mon 12:00-13:00; Mon 10:00-10:30"
    assert parse_availability(text) == (Window(0, 540, 840), Window(2, 600, 660))


def test_it_keeps_the_same_hours_on_different_days_apart():
    assert parse_availability("Tue 09:00-10:00; Mon 09:00-10:00") == (
        Window(0, 540, 600),
        Window(1, 540, 600),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 9-12", '"Mon 9-12": expected a window like "Mon 09:00-12:00"'),
        ("Mon 9:00-12:00", '"Mon 9:00-12:00": expected a window like "Mon 09:00-12:00"'),
        ("09:00-12:00", '"09:00-12:00": expected a window like "Mon 09:00-12:00"'),
        ("Tue 10:10-11:00", '"Tue 10:10-11:00": times must be on 15-minute steps'),
        ("Wed 10:00-09:00", '"Wed 10:00-09:00": end 09:00 is not after start 10:00'),
        ("Wed 10:00-10:00", '"Wed 10:00-10:00": end 10:00 is not after start 10:00'),
        ("Fri 24:00-24:00", '"Fri 24:00-24:00": end 24:00 is not after start 24:00'),
        ("Thu 23:00-24:15", '"Thu 23:00-24:15": 24:15 is not a time between 00:00 and 24:00'),
        ("Thu 09:60-10:00", '"Thu 09:60-10:00": 09:60 is not a time between 00:00 and 24:00'),
        ("Monday 09:00-10:00", '"Monday 09:00-10:00": unknown day "Monday"'),
    ],
)
def test_it_names_the_bad_part(text, message):
    with pytest.raises(AvailabilityError) as raised:
        parse_availability(f"Sat 09:00-10:00; {text}")
    assert str(raised.value).startswith(message)


def test_it_names_every_bad_part_at_once():
    with pytest.raises(AvailabilityError) as raised:
        parse_availability("Mon 9-12; Tue 09:00-10:00; Wed 10:00-09:00")
    assert '"Mon 9-12"' in str(raised.value)
    assert '"Wed 10:00-09:00"' in str(raised.value)
    assert "Tue" not in str(raised.value)


def test_it_is_a_value_error():
    assert issubclass(AvailabilityError, ValueError)


def test_it_formats_canonical_text():
    windows = (Window(0, 540, 720), Window(6, 0, 1440))
    assert format_availability(windows) == "Mon 09:00-12:00; Sun 00:00-24:00"
    assert format_availability(()) == ""


def test_it_counts_weekly_minutes_once_per_minute():
    assert weekly_minutes(parse_availability("Mon 09:00-12:00; Wed 14:00-17:30")) == 390
    assert weekly_minutes([Window(0, 0, 60), Window(0, 30, 90)]) == 90
    assert weekly_minutes(()) == 0


@given(st.lists(windows, max_size=12))
def test_it_round_trips_merged_windows(raw):
    merged = merge_windows(raw)
    assert parse_availability(format_availability(merged)) == merged


@given(st.lists(windows, max_size=12))
def test_it_merges_into_sorted_disjoint_windows_covering_the_same_minutes(raw):
    merged = merge_windows(raw)
    assert list(merged) == sorted(merged)
    for before, after in itertools.pairwise(merged):
        assert before.weekday < after.weekday or before.end < after.start
    covered = {(w.weekday, m) for w in raw for m in range(w.start, w.end)}
    assert weekly_minutes(merged) == len(covered)


@given(st.text())
def test_it_raises_only_availability_errors_on_any_text(text):
    with contextlib.suppress(AvailabilityError):
        parse_availability(text)


@given(st.text(alphabet="MonTuWedhFrSaSu 0123456789:-;\t", max_size=40))
def test_it_raises_only_availability_errors_on_near_miss_text(text):
    try:
        windows = parse_availability(text)
    except AvailabilityError as exc:
        assert str(exc)  # noqa: PT017 - either outcome is a pass, each checked
    else:
        assert parse_availability(format_availability(windows)) == windows
