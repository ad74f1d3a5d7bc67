"""A manager imports new people and, from the import result, sends them their invitation;
an invitee follows the emailed link, chooses a password (that is all) and is signed in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.accounts.models import User
from meridian.programs.models import Enrollment
from tests.e2e.support import check, link_in_mail, sign_in_by_cookie, visit
from tests.factories import CohortFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILE = (
    "id,role,name,email,time_zone,capacity\n"
    "E1,mentor,Ann Lee,ann@example.org,Europe/Berlin,2\n"
    "E2,mentee,Bo Chen,bo@example.org,Asia/Shanghai,\n"
)
NEW_PASSWORD = "Harbour-quill-83"


def test_imported_people_are_invited_from_the_result_and_choose_a_password(
    page, context, new_context, base, smtp_server
):
    manager = UserFactory(name="Mona Manager")
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]), name="Spring")
    sign_in_by_cookie(context, base, manager)
    visit(page, f"{base}/cohorts/{cohort.public_id}/import/")
    page.get_by_label("Participant file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": FILE.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Import people.csv?")).to_be_visible()
    page.get_by_role("button", name="Import 2 people").click()
    expect(page.get_by_text("Imported 2 people into Spring.")).to_be_visible()
    check(page)

    page.get_by_role("button", name="Send the 2 new people their invitation").click()
    expect(page.get_by_text("Sent 2 invitations")).to_be_visible()
    check(page)

    link = link_in_mail(smtp_server, "bo@example.org", "/invitations/")
    assert link.startswith(base), link
    invitee = new_context().new_page()
    visit(invitee, link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Join Spring")
    expect(invitee.get_by_role("link", name="Sign in to accept")).to_have_count(0)
    check(invitee)
    invitee.get_by_label("New password:", exact=True).fill("12345")
    invitee.get_by_label("New password confirmation:", exact=True).fill("12345")
    invitee.get_by_role("button", name="Choose my password and join").click()
    expect(invitee.get_by_text("This password is too short.", exact=False)).to_be_visible()
    check(invitee)
    invitee.get_by_label("New password:", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_label("New password confirmation:", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Choose my password and join").click()

    expect(invitee.get_by_role("heading", name="My profile")).to_be_visible()
    expect(invitee.get_by_text("Welcome to", exact=False)).to_be_visible()
    check(invitee)
    bo = User.objects.get(email="bo@example.org")
    assert bo.check_password(NEW_PASSWORD)
    assert Enrollment.objects.get(cohort=cohort, user=bo).status == "approved"
