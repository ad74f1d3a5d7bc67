"""The mail server is down: a manager invites people and the page says the invitations
are saved and will be sent when mail is back; a forgotten password gets the usual answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from meridian.programs.models import Invitation
from tests.e2e.support import check, person, sign_in_by_cookie, visit
from tests.factories import CohortFactory, ProgramFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_inviting_while_the_mail_server_is_down_says_when_they_will_be_sent(page, base, smtp_down):
    manager = person(name="Mona Manager", email="mona@example.org")
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]), status="open", name="Spring 2030")
    sign_in_by_cookie(page.context, base, manager)

    visit(page, f"{base}/cohorts/{cohort.public_id}/invite/")
    page.get_by_label("Email addresses:", exact=True).fill("ines@example.org\nivo@example.org")
    page.get_by_label("Mentee").check()
    page.get_by_role("button", name="Send invitations").click()
    expect(
        page.get_by_text(
            "2 invitations saved; the mail server is not answering, so they will be sent when mail is back."
        )
    ).to_be_visible()
    expect(page.get_by_role("cell", name="ines@example.org")).to_be_visible()
    check(page)
    assert Invitation.objects.filter(cohort=cohort).count() == 2


def test_a_forgotten_password_while_the_mail_server_is_down_gets_the_usual_answer(page, base, smtp_down):
    person(name="Rosa", email="rosa@example.org")
    visit(page, f"{base}/accounts/password/reset/")
    page.get_by_label("Email:", exact=True).fill("rosa@example.org")
    page.get_by_role("button", name="Reset my password").click()
    expect(page.get_by_text("We have sent you an email")).to_be_visible()
    check(page)
