"""The profile's week grid, working hours and contact fields: the form, the page and the
grid fragment htmx redraws while the text is typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching_engine.availability import format_availability, merge_windows, parse_availability
from matching_engine.model import WEEKDAYS, Window
from meridian.accounts.models import Profile
from meridian.accounts.tests.test_profile import GOOD
from meridian.accounts.weekgrid import FULL, grid_masks, shift_windows, windows_from_masks
from meridian.accounts.weekgrid_display import week_grid
from tests.factories import UserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def windows(step: int) -> st.SearchStrategy[list[Window]]:
    """Any windows on ``step``-minute marks (a window may end at 24:00)."""
    marks = 24 * 60 // step

    def window(day: int, a: int, b: int) -> Window:
        low, high = sorted((a, b))
        return Window(day, low * step, (high + 1) * step)

    one = st.builds(window, st.integers(0, 6), st.integers(0, marks - 1), st.integers(0, marks - 1))
    return st.lists(one, max_size=12)


def quarters(ws: tuple[Window, ...]) -> set[int]:
    return {(w.weekday * 1440 + m) // 15 for w in ws for m in range(w.start, w.end, 15)}


# The grid model ------------------------------------------------------------------


@given(windows(30))
def test_it_round_trips_half_hour_text_through_whole_cells(ws):
    text = format_availability(merge_windows(ws))
    masks = grid_masks(parse_availability(text))
    assert all(mask in (0, FULL) for day in masks for mask in day)
    assert format_availability(windows_from_masks(masks)) == text


@given(windows(15))
def test_it_keeps_quarter_hours_exact_in_the_cells(ws):
    text = format_availability(merge_windows(ws))
    assert format_availability(windows_from_masks(grid_masks(parse_availability(text)))) == text


@given(windows(15), st.integers(-14 * 4, 14 * 4).map(lambda n: n * 15))
def test_it_shifts_windows_round_the_week(ws, minutes):
    shifted = shift_windows(ws, minutes)
    assert quarters(shifted) == {(q + minutes // 15) % 672 for q in quarters(tuple(ws))}
    assert all(0 <= w.start < w.end <= 1440 for w in shifted)


def test_it_wraps_sunday_night_to_monday_morning():
    assert format_availability(shift_windows(parse_availability("Sun 22:00-24:00"), 180)) == (
        "Mon 01:00-03:00"
    )
    assert format_availability(shift_windows(parse_availability("Mon 02:00-04:00"), -330)) == (
        "Sun 20:30-22:30"
    )


def test_it_describes_the_grid_in_the_person_s_zone():
    grid = week_grid(field="availability", text="Tue 09:30-12:30; Thu 10:00-19:00", zone="Asia/Kolkata")
    assert grid.caption == "Times are in Asia/Kolkata (UTC+05:30)"
    assert grid.hours == "12 hours a week"
    assert grid.utc == "Tue 04:00-07:00; Thu 04:30-13:30"
    cell = grid.rows[19].cells[1]  # 09:30 on Tuesday
    assert cell.label == "Tuesday 09:30 to 10:00, available"
    assert grid.rows[19].cells[0].label == "Monday 09:30 to 10:00, not available"
    assert not grid.show_night
    assert not grid.quarter_days


@time_machine.travel(dt.datetime(2030, 1, 15, 12, tzinfo=dt.UTC))
def test_it_says_when_a_zone_changes_its_clocks():
    assert week_grid(field="availability", text="", zone="Europe/Berlin").caption == (
        "Times are in Europe/Berlin (now UTC+01:00)"
    )
    grid = week_grid(field="availability", text="", zone="America/Sao_Paulo")
    assert grid.caption == "Times are in America/Sao Paulo (UTC-03:00)"
    assert grid.hours == "No times marked yet."
    assert week_grid(field="availability", text="Mon 00:00-01:00", zone="UTC").utc == ""


def test_it_shows_quarter_hours_as_partly_available_and_night_hours_when_used():
    grid = week_grid(field="availability", text="Wed 14:15-15:00; Sat 23:00-24:00", zone="UTC")
    assert grid.quarter_days == ("Wed",)
    assert grid.rows[28].cells[2].label == "Wednesday 14:00 to 14:30, partly available (14:15 to 14:30)"
    assert grid.rows[28].cells[2].state == "part"
    assert grid.show_night
    assert grid.hours == "1.75 hours a week"


def test_it_draws_the_default_working_hours_until_some_are_set():
    grid = week_grid(field="working_hours", text="", zone="UTC", default="Mon 09:00-17:00")
    assert grid.default
    assert grid.minutes == 480
    assert not week_grid(field="working_hours", text="Tue 10:00-11:00", zone="UTC", default="x").default


@pytest.mark.parametrize("text", ["Mon 9-10", "x" * 100_000, "Mon 09:00-10:00\x00", "Lun 09:00-10:00"])
def test_it_draws_no_cells_for_text_it_cannot_read(text):
    grid = week_grid(field="availability", text=text, zone="UTC")
    assert grid.error
    assert not grid.rows


# The form and the page -----------------------------------------------------------


@pytest.fixture
def me(client, db):
    user = UserFactory(time_zone="Asia/Kolkata")
    client.force_login(user)
    return user


def post(client, **fields):
    return client.post("/profile/", {**GOOD, **fields})


def test_it_saves_working_hours_and_contact_details(client, me):
    response = post(
        client,
        working_hours="fri 10:00-14:00; mon 09:00-17:00",
        phone=" +49 (30)  1234-5678 ",
        video_link="meet.google.com/abc-defg-hij",
    )
    assert response.status_code == 302, response.context["form"].errors
    profile = Profile.objects.get(user=me)
    assert profile.working_hours == "Mon 09:00-17:00; Fri 10:00-14:00"
    assert profile.phone == "+49 (30) 1234-5678"
    assert profile.video_link == "https://meet.google.com/abc-defg-hij"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("working_hours", "Mon 09:00-25:00", "between 00:00 and 24:00"),
        ("working_hours", "weekdays 9-5", "expected a window"),
        ("availability", "Mon 09:00-10:00; Tue 14:00-13:00", "not after start"),
        ("availability", "Mon 09:00-10:00\x00", "Null characters"),
        ("availability", "Mon 09:00-10:00; " * 6000, "at most 6000 characters"),
        ("availability", "Mön 09:00-10:00", 'unknown day "Mön"'),
        ("availability", "Mon 09:00–10:00", "expected a window"),  # an en dash
        ("availability", "Mon ０９:００-10:00", "expected a window"),  # full-width digits
        ("phone", "call me maybe", "digits, spaces"),
        ("phone", "12345", "6 to 20 digits; this one has 5"),
        ("phone", "+" + "1" * 21, "6 to 20 digits; this one has 21"),
        ("phone", "+1 " * 12, "at most 32 characters"),
        ("phone", "+1 ２３４ 567 890", "digits, spaces"),
        ("phone", "49+30 123456", "only at the start"),
        ("video_link", "http://zoom.us/j/123", "https://"),
        ("video_link", "ftp://example.org/room", "https://"),
        ("video_link", "javascript:alert(1)", "valid URL"),
    ],
)
def test_it_puts_the_error_next_to_the_field_and_saves_nothing(client, me, field, value, message):
    response = post(client, **{field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Profile.objects.get(user=me).availability == ""


def test_it_accepts_unicode_around_a_good_window(client, me):
    assert post(client, availability="  Mon 09:00-10:00 ;\u00a0; tue 10:00-11:00 ").status_code == 302
    assert Profile.objects.get(user=me).availability == "Mon 09:00-10:00; Tue 10:00-11:00"


def test_it_shows_the_grid_in_my_zone_with_the_text_field_beside_it(client, me):
    Profile.objects.filter(user=me).update(availability="Tue 09:30-12:30; Thu 10:00-19:00")
    html = client.get("/profile/").content.decode()
    assert "When can you meet?" in html
    assert "Times are in Asia/Kolkata (UTC+05:30)" in html
    assert "12 hours a week" in html
    assert "That is Tue 04:00-07:00; Thu 04:30-13:30 in UTC." in html
    assert 'aria-label="Tuesday 09:30 to 10:00, available"' in html
    assert html.count('role="gridcell"') == 2 * 7 * 48  # availability and working hours
    assert re.search(r'<input[^>]+name="availability"[^>]+value="Tue 09:30-12:30; Thu 10:00-19:00"', html)
    assert 'id="grid-availability" data-week-grid' in html
    assert " hidden>" in html
    assert "weekgrid.js" in html


def test_it_warns_instead_of_rounding_quarter_hours(client, me):
    Profile.objects.filter(user=me).update(availability="Wed 14:15-15:45")
    html = client.get("/profile/").content.decode()
    assert "Some times on Wed start or end at a quarter past or to the hour" in html
    assert 'data-mask="2"' in html
    assert 'data-mask="1"' in html


def test_it_keeps_the_typed_text_and_says_why_the_grid_is_missing_after_an_error(client, me):
    html = post(client, availability="Mon 09:00-08:00").content.decode()
    assert "The grid comes back once the text below reads correctly." in html
    assert 'value="Mon 09:00-08:00"' in html


def test_it_redraws_the_grid_fragment_from_typed_text(client, me):
    response = client.get(
        "/profile/",
        {"grid": "availability", "availability": "sun 23:00-24:00", "time_zone": "Asia/Tokyo"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<div")
    assert "<html" not in html
    assert "Times are in Asia/Tokyo (UTC+09:00)" in html
    assert 'aria-label="Sunday 23:30 to 24:00, available"' in html
    assert " hidden>" not in html.split(">", 1)[0]
    assert Profile.objects.get(user=me).availability == ""  # nothing saved


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grid=st.sampled_from(["availability", "working_hours", "nope", ""]),
    text=st.text(max_size=200) | st.sampled_from(["Mon 09:00-10:00", "x" * 20_000]),
    zone=st.sampled_from(["UTC", "Mars/Base", "", "Asia/Kathmandu"]) | st.text(max_size=20),
)
def test_it_never_fails_on_hostile_fragment_requests(client, me, grid, text, zone):
    response = client.get("/profile/", {"grid": grid, grid or "x": text, "time_zone": zone}, **HTMX)
    assert response.status_code == 200


def test_it_uses_my_saved_zone_when_the_fragment_names_none(client, me):
    html = client.get("/profile/", {"grid": "working_hours", "working_hours": ""}, **HTMX).content.decode()
    assert "Times are in Asia/Kolkata" in html
    assert "Not set yet, so we assume Mon-Fri 09:00-17:00" in html
    assert "40 hours a week" in html


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/profile/", {"grid": "availability"}, **HTMX)
    assert response.status_code == 204  # htmx is told to load the sign-in page, not swap it in
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_day_names_match_the_engine():
    assert [
        w[:3] for w in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    ] == (list(WEEKDAYS))
