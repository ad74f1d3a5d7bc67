"""A manager imports participants in the browser with JavaScript on: a bad file shows
every bad row, a good file shows its preview (new people, and an outsider who will only
be invited), and the import button imports what the preview promised."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.programs.models import Enrollment, Invitation
from tests.e2e.support import check, sign_in_by_cookie, visit
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "id,role,name,email,time_zone,capacity\n"
BAD = (
    HEADER
    + "E1,mentor,Ann Lee,ann@example.org,Mars/Olympus,2\nE2,mentee,=cmd|' /C calc'!A0,b@example.org,UTC,\n"
)


def test_it_imports_a_file_with_javascript_on(page, context, base):
    manager = UserFactory(name="Mona Manager")
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]), name="Spring")
    outsider = UserFactory(email="emi@example.org", name="Emi Nakamura", time_zone="Asia/Tokyo")
    EnrollmentFactory(user=outsider)  # in another manager's program
    sign_in_by_cookie(context, base, manager)
    visit(page, f"{base}/cohorts/{cohort.public_id}/import/")

    file_input = page.get_by_label("Participant file")
    file_input.set_input_files({"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD.encode()})
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="2 problems in the file: nothing was imported")).to_be_visible()
    expect(page.get_by_text("Mars/Olympus")).to_be_visible()
    check(page)

    good = (
        HEADER + "E1,mentor,Ann Lee,ann@example.org,Europe/Berlin,2\nX9,mentee,Someone,emi@example.org,UTC,\n"
    )
    page.get_by_label("Participant file").set_input_files(
        {"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Import good.csv?")).to_be_visible()
    expect(page).to_have_url(f"{base}/imports/" + page.url.rsplit("/imports/", 1)[1])
    expect(page.get_by_text("will be invited to this cohort")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Import 1 person and invite 1").click()
    expect(page.get_by_text("Imported 1 person into Spring.")).to_be_visible()
    check(page)
    assert Enrollment.objects.filter(cohort=cohort, status="approved").count() == 1
    assert Invitation.objects.filter(cohort=cohort, email="emi@example.org").exists()
    outsider.refresh_from_db()
    assert (outsider.name, outsider.time_zone) == ("Emi Nakamura", "Asia/Tokyo")
