"""Full-page screenshots of every page, for review (not a test: pytest collects only
``test_*.py``, so the suite never runs this). Run it by name:

    .venv/bin/python -m pytest tests/e2e/screenshots.py -p no:cacheprovider -s

It writes ``<who>-<page>-<width>.png`` at 1280 (desktop) and 390 (phone) pixels wide into
/tmp/meridian-shots/ (``SHOTS_DIR`` changes it) and prints the axe violations it saw on
each page (it does not fail on them: the e2e tests do)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from meridian.programs.models import StagedImport
from tests.e2e.support import person, sign_in_by_cookie
from tests.factories import CohortFactory, EnrollmentFactory, InvitationFactory, ProgramFactory

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/meridian-shots"))
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def world() -> Any:
    """A program as a reviewer would meet it: two cohorts, members, applications, invitations."""
    manager = person(name="Mona Manager", email="mona@example.org", can_create_programs=True)
    pia = person(name="Pia Participant", email="pia@example.org", time_zone="America/Sao_Paulo")
    program = ProgramFactory(
        name="Women in Engineering",
        slug="wie",
        description="A year-long one-to-one program pairing engineers across offices and time zones.",
        managers=[manager],
        starts_on=dt.date(2030, 1, 6),
        ends_on=dt.date(2030, 12, 19),
    )
    spring = CohortFactory(
        program=program, name="Spring 2030", status="running", description="Our first cohort."
    )
    autumn = CohortFactory(
        program=program, name="Autumn 2030", status="open", description="Applications open."
    )
    CohortFactory(program=program, name="Winter 2031", status="draft")
    mine = EnrollmentFactory(cohort=spring, user=pia, role="mentee")
    for n in range(6):
        EnrollmentFactory(cohort=spring, role="mentor" if n % 2 else "mentee", capacity=2)
    for _ in range(3):
        EnrollmentFactory(cohort=autumn, role="mentee", status="applied", motivation="Keen to learn.")
    EnrollmentFactory(cohort=autumn, role="mentor", status="declined")
    for _ in range(2):
        InvitationFactory(cohort=spring, invited_by=manager, message="Welcome aboard!")
    invitation = InvitationFactory(cohort=autumn, email="newcomer@example.org", invited_by=manager)
    expired = InvitationFactory(cohort=autumn, expires_at=timezone.now() - dt.timedelta(days=1))
    staged = StagedImport.objects.create(
        cohort=spring, uploaded_by=manager, filename="people.csv", data=b"email,name,role\n"
    )
    return locals()


def pages(w: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """(name, path) of every page, per person; ``None`` signs nobody in."""
    p, spring, autumn = w["program"].public_id, w["spring"].public_id, w["autumn"].public_id
    token = w["invitation"].token
    return {
        "anonymous": [
            ("login", "/accounts/login/"),
            ("password-reset", "/accounts/password/reset/"),
            ("password-reset-done", "/accounts/password/reset/done/"),
            ("signup-closed", "/accounts/signup/"),
            ("invitation", f"/invitations/{token}/"),
            ("signup-invited", f"/accounts/signup/?next=/invitations/{token}/"),
            ("invitation-expired", f"/invitations/{w['expired'].token}/"),
            ("not-found", "/no-such-page/"),
        ],
        "manager": [
            ("home", "/"),
            ("program-list", "/programs/"),
            ("program-new", "/programs/new/"),
            ("program-detail", f"/programs/{p}/"),
            ("program-edit", f"/programs/{p}/edit/"),
            ("cohort-new", f"/programs/{p}/cohorts/new/"),
            ("cohort-detail", f"/cohorts/{spring}/"),
            ("cohort-open", f"/cohorts/{autumn}/"),
            ("cohort-edit", f"/cohorts/{spring}/edit/"),
            ("cohort-invite", f"/cohorts/{spring}/invite/"),
            ("cohort-import", f"/cohorts/{spring}/import/"),
            ("import-preview", f"/imports/{w['staged'].public_id}/"),
            ("people", f"/programs/{p}/people/"),
            ("people-empty", f"/programs/{p}/people/?q=nobody-at-all"),
            ("withdraw", f"/enrollments/{w['mine'].public_id}/withdraw/"),
            ("profile", "/profile/"),
            ("email-settings", "/accounts/email/"),
            ("password-change", "/accounts/password/change/"),
            ("two-factor", "/accounts/2fa/"),
        ],
        "participant": [
            ("home", "/"),
            ("program-list", "/programs/"),
            ("program-detail", f"/programs/{p}/"),
            ("cohort-detail", f"/cohorts/{spring}/"),
            ("cohort-open", f"/cohorts/{autumn}/"),
            ("apply", f"/cohorts/{autumn}/apply/"),
            ("withdraw", f"/enrollments/{w['mine'].public_id}/withdraw/"),
            ("profile", "/profile/"),
            ("program-new-refused", "/programs/new/"),
            ("not-found", f"/programs/{p}/edit/"),
        ],
    }


# Forms submitted empty (or wrong) to see their error states.
ERROR_STATES = {
    "manager": [("program-new-errors", "/programs/new/", "Create program")],
    "participant": [("apply-errors", "/cohorts/{autumn}/apply/", "Send application")],
}


@pytest.mark.django_db(transaction=True)
def test_screenshots(browser, base):
    SHOTS.mkdir(parents=True, exist_ok=True)
    w = world()
    people = {"anonymous": None, "manager": w["manager"], "participant": w["pia"]}
    axe, problems = Axe(), []
    for who, visits in pages(w).items():
        for size, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, timezone_id="Europe/Berlin"
            )
            if people[who]:
                sign_in_by_cookie(context, base, people[who])
            page = context.new_page()
            for name, path in visits:
                response = page.goto(base + path)
                page.screenshot(path=SHOTS / f"{who}-{name}-{size}.png", full_page=True)
                if size == "desktop":
                    results = axe.run(page)
                    status = response.status if response else "?"
                    print(f"{who:12} {name:22} {status} axe violations: {results.violations_count}")
                    if results.violations_count:
                        problems.append(f"{who} {name} {path}\n{results.generate_report()}")
            for name, path, button in ERROR_STATES.get(who, []):
                page.goto(base + path.format(autumn=w["autumn"].public_id))
                page.get_by_role("button", name=button).click()
                page.wait_for_load_state()
                page.screenshot(path=SHOTS / f"{who}-{name}-{size}.png", full_page=True)
                if size == "desktop":
                    results = axe.run(page)
                    print(f"{who:12} {name:22} axe violations: {results.violations_count}")
                    if results.violations_count:
                        problems.append(f"{who} {name}\n{results.generate_report()}")
            context.close()
    print("\n\n".join(problems) or "no axe violations")
    print(f"screenshots in {SHOTS}")
