"""A person chooses how reminders reach them (one email each or a daily digest) from their
profile, and sees the reminders the monthly cap held back; at 1280 px and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.engagement import notices
from meridian.engagement.models import EmailPreference, NoticeMode
from tests.e2e.support import PHONE, check, person, sign_in, visit
from tests.factories import mentoring_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_person_takes_a_daily_digest_and_sees_what_the_cap_held_back(page, base):
    ben = person(name="Ben Okafor", email="ben@example.org", time_zone="Asia/Kathmandu")
    pair = mentoring_pair(mentee=ben)
    for n in range(5):
        notices.notify(
            user=ben,
            kind="cohort_point",
            key=f"e2e:{n}",
            template="reminder-cohort",
            context={"line": f"Cohort reminder {n}", "url": base},
            line=f"Cohort reminder {n}",
            mentorship=pair,
        )
    notices.deliver_due()  # four emailed, the fifth over the month's cap

    sign_in(page, base, ben.email)
    visit(page, f"{base}/profile/")
    page.get_by_role("link", name="Reminder emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminder emails")
    held = page.get_by_role("region", name="Reminders not emailed")
    expect(held).to_contain_text("Cohort reminder 4")
    expect(held).to_contain_text("Not sent: the month's limit was reached")
    expect(held).not_to_contain_text("Cohort reminder 3")
    expect(page.get_by_label("One email each")).to_be_checked()
    check(page)

    page.get_by_label("One daily digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your reminder emails are saved.")).to_be_visible()
    expect(page.get_by_label("One daily digest")).to_be_checked()
    assert EmailPreference.objects.get(user=ben).mode == NoticeMode.DIGEST
    check(page)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_label("One daily digest")).to_be_checked()
    check(page)
