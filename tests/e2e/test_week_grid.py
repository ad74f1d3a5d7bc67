"""The profile's week grid in a real browser: paint by mouse drag and by keyboard, type the
text and see the grid follow, keep quarter hours exact, save, and pass axe throughout."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from meridian.accounts.models import Profile, User
from tests.e2e.support import check, person, sign_in_by_cookie, tab_to, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def cell(grid: Locator, day: int, hh_mm: str) -> Locator:
    hours, minutes = hh_mm.split(":")
    return grid.locator(f'td[data-day="{day}"][data-start="{int(hours) * 60 + int(minutes)}"]')


def drag(page: Page, start: Locator, end: Locator) -> None:
    end.scroll_into_view_if_needed()
    start.scroll_into_view_if_needed()
    a, b = start.bounding_box(), end.bounding_box()
    assert a
    assert b
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=6)
    page.mouse.up()


def open_profile(page: Page, base: str, availability: str = "") -> tuple[User, Locator]:
    priya = person(name="Priya Raman", time_zone="Asia/Kolkata")
    Profile.objects.filter(user=priya).update(availability=availability)
    sign_in_by_cookie(page.context, base, priya)
    visit(page, f"{base}/profile/")
    grid = page.get_by_role("grid", name="When you can meet Times are in Asia/Kolkata (UTC+05:30)")
    expect(grid).to_be_visible()
    return priya, grid


def save(page: Page) -> None:
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    check(page)


def test_it_paints_a_drag_and_saves_it(page, base):
    priya, grid = open_profile(page, base)
    text = page.locator("#id_availability")
    start = grid.get_by_role("gridcell", name="Tuesday 09:00 to 09:30, not available", exact=True)
    drag(page, start, cell(grid, 2, "10:00"))  # Tue and Wed, 09:00-10:30
    expect(
        grid.get_by_role("gridcell", name="Wednesday 10:00 to 10:30, available", exact=True)
    ).to_be_visible()
    expect(cell(grid, 1, "09:30")).to_have_attribute("aria-selected", "true")
    expect(text).to_have_value("Tue 09:00-10:30; Wed 09:00-10:30")
    expect(page.get_by_text("3 hours a week")).to_be_visible()
    expect(page.get_by_text("That is Tue 03:30-05:00; Wed 03:30-05:00 in UTC.")).to_be_visible()

    drag(page, cell(grid, 2, "09:00"), cell(grid, 2, "10:00"))  # from a marked cell: erases
    expect(text).to_have_value("Tue 09:00-10:30")
    cell(grid, 0, "21:30").click()
    expect(text).to_have_value("Mon 21:30-22:00; Tue 09:00-10:30")
    check(page)
    save(page)
    assert Profile.objects.get(user=priya).availability == "Mon 21:30-22:00; Tue 09:00-10:30"


def test_it_paints_by_keyboard(page, base):
    priya, grid = open_profile(page, base)
    keys = page.keyboard
    first = grid.get_by_role("gridcell", name="Monday 09:00 to 09:30, not available", exact=True)
    tab_to(page, first)  # the grid is one Tab stop; it starts at 09:00 on an empty week
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    for _ in range(10):
        keys.press("ArrowDown")
    wednesday = grid.get_by_role("gridcell", name="Wednesday 14:00 to 14:30, not available", exact=True)
    expect(wednesday).to_be_focused()
    keys.press("Space")
    expect(grid.get_by_role("gridcell", name="Wednesday 14:00 to 14:30, available")).to_be_focused()
    keys.press("Shift+ArrowDown")
    keys.press("Shift+ArrowDown")
    keys.press("End")
    keys.press("Space")
    expect(page.locator("#id_availability")).to_have_value("Wed 14:00-15:30; Sun 15:00-15:30")
    expect(page.get_by_text("2 hours a week")).to_be_visible()
    keys.press("Space")  # and off again
    expect(page.locator("#id_availability")).to_have_value("Wed 14:00-15:30")
    check(page)
    tab_to(page, page.get_by_role("button", name="Save profile"))
    keys.press("Enter")
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    assert Profile.objects.get(user=priya).availability == "Wed 14:00-15:30"


def test_it_follows_the_text_and_keeps_quarter_hours_exact(page, base):
    priya, grid = open_profile(page, base, availability="Wed 14:15-15:45")
    note = page.get_by_text("Some times on Wed start or end at a quarter past or to the hour")
    expect(note).to_be_visible()
    expect(
        grid.get_by_role("gridcell", name="Wednesday 14:00 to 14:30, partly available (14:15 to 14:30)")
    ).to_be_visible()
    cell(grid, 4, "10:00").click()  # another day: Wednesday's quarters stay as they were
    text = page.locator("#id_availability")
    expect(text).to_have_value("Wed 14:15-15:45; Fri 10:00-10:30")
    expect(note).to_be_visible()
    cell(grid, 2, "14:00").click()  # painting over the partial cells makes them whole
    cell(grid, 2, "15:30").click()
    expect(text).to_have_value("Wed 14:00-16:00; Fri 10:00-10:30")
    expect(note).to_be_hidden()

    text.fill("Sat 23:00-24:00")  # typing redraws the grid, night hours included
    expect(
        page.get_by_role("gridcell", name="Saturday 23:30 to 24:00, available", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Show night hours (22:00-06:00)").first).to_have_attribute(
        "aria-pressed", "true"
    )
    text.fill("Sat 23:00-22:00")
    expect(page.get_by_text("The grid comes back once the text below reads correctly.")).to_be_visible()
    check(page)
    text.fill("Sat 06:00-07:00")
    expect(
        page.get_by_role("gridcell", name="Saturday 06:30 to 07:00, available", exact=True)
    ).to_be_visible()
    save(page)
    assert Profile.objects.get(user=priya).availability == "Sat 06:00-07:00"


def test_it_shows_night_hours_on_demand_and_edits_working_hours(page, base):
    priya, grid = open_profile(page, base)
    late = cell(grid, 3, "23:00")
    expect(late).to_be_hidden()
    grid_box = page.locator("#grid-availability")
    grid_box.get_by_role("button", name="Show night hours (22:00-06:00)").click()
    late.click()
    expect(page.locator("#id_availability")).to_have_value("Thu 23:00-23:30")

    page.locator("summary", has_text="Your usual working hours").click()
    work = page.get_by_role("grid", name="Working hours Times are in Asia/Kolkata (UTC+05:30)")
    expect(page.get_by_text("Not set yet, so we assume Mon-Fri 09:00-17:00")).to_be_visible()
    expect(cell(work, 0, "09:00")).to_have_attribute("aria-selected", "true")
    drag(page, cell(work, 4, "16:00"), cell(work, 4, "16:30"))  # Friday ends early
    expect(page.locator("#id_working_hours")).to_have_value(
        "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-16:00"
    )
    check(page)

    page.locator("#id_time_zone").select_option("Asia/Tokyo")  # both grids follow the zone
    expect(page.get_by_text("Times are in Asia/Tokyo (UTC+09:00)")).to_have_count(2)
    expect(page.get_by_text("That is Thu 14:00-14:30 in UTC.")).to_be_visible()
    save(page)
    priya.refresh_from_db()
    assert priya.time_zone == "Asia/Tokyo"
    profile = Profile.objects.get(user=priya)
    assert profile.working_hours.endswith("Fri 09:00-16:00")
    assert profile.availability == "Thu 23:00-23:30"
