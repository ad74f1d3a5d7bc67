"""The development plan and the shared files in a real browser (htmx, strict CSP): the
mentee adds a goal with milestones, ticks one, is refused a progress update without a
comment (beside the field), updates it with one, shares a file; the mentor, in another
browser, sees the progress and downloads the file. At 1280 and 390 px, axe-checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.e2e.support import DESKTOP, PHONE, check, sign_in_by_cookie, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_goal_with_progress_and_a_file_the_partner_downloads(
    page: Page, new_context: Any, base: str, size: ViewportSize, tmp_path: Path
) -> None:
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "America/New_York"},
    )
    people = {m.role: m.user for m in mentorship.members.select_related("user")}
    page.set_viewport_size(size)
    sign_in_by_cookie(page.context, base, people["mentee"])

    visit(page, f"{base}/mentorships/{mentorship.public_id}/")
    page.locator("#goals-section").get_by_role("link", name="Open the development plan").click()
    expect(page.get_by_role("heading", name="Development plan")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Add the goal").click()  # empty: refused beside the field
    expect(page.locator("#goal-add .errorlist")).to_contain_text("This field is required.")
    page.get_by_label("Goal:", exact=True).fill("Speak at a <b>meetup</b>")
    page.get_by_label("Milestones:", exact=True).fill("Pick a topic\nWrite the talk\nRehearse")
    page.get_by_role("button", name="Add the goal").click()

    expect(page.get_by_role("heading", name="Speak at a <b>meetup</b>")).to_be_visible()
    expect(page.locator(".milestones li")).to_have_count(3)
    page.get_by_label("Pick a topic").check()
    expect(page.locator(".milestones li").first).to_have_class("done")
    check(page)

    progress = page.locator("#goal-progress")
    progress.get_by_label("Progress (%):", exact=True).fill("40")
    progress.get_by_role("button", name="Update progress").click()
    expect(page.locator("#goal-progress .errorlist")).to_contain_text("This field is required.")
    page.locator("#goal-progress").get_by_label("Progress (%):", exact=True).fill("40")
    page.locator("#goal-progress").get_by_label("What changed:", exact=True).fill("Topic chosen")
    page.locator("#goal-progress").get_by_role("button", name="Update progress").click()
    expect(page.locator("#goal-progress .history")).to_contain_text("Topic chosen")
    expect(page.locator("#goal-progress-value")).to_have_text("40 %")
    expect(page.locator("#goal-progress")).to_contain_text("America/New York")
    check(page)

    notes = tmp_path / "agenda.md"
    notes.write_text("# Talk outline\n- why\n- how\n", encoding="utf-8")
    visit(page, f"{base}/mentorships/{mentorship.public_id}/files/")
    page.get_by_label("File:", exact=True).set_input_files(str(notes))
    page.locator("#id_upload-note").fill("First outline")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".shared-list")).to_contain_text("agenda.md")
    expect(page.locator(".shared-list")).to_contain_text("First outline")
    check(page)

    mentor = new_context(viewport=size).new_page()
    sign_in_by_cookie(mentor.context, base, people["mentor"])
    visit(mentor, f"{base}/mentorships/{mentorship.public_id}/")
    expect(mentor.locator("#goals-section")).to_contain_text("40 %")
    mentor.locator("#files-section").get_by_role("link", name="Share a link or a file").click()
    check(mentor)
    with mentor.expect_download() as info:
        mentor.get_by_role("link", name="agenda.md").click()
    download = info.value
    assert download.suggested_filename == "agenda.md"
    assert Path(download.path()).read_text(encoding="utf-8") == notes.read_text(encoding="utf-8")
