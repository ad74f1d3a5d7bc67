"""Screenshots of the matching pages for review (not a test; run it by name):

.venv/bin/python -m pytest tests/e2e/screenshots_matching.py -p no:cacheprovider -s
"""

from __future__ import annotations

import pytest

from meridian.matching import adapter
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Member
from tests.e2e.screenshots import SHOTS, WIDTHS
from tests.e2e.support import sign_in_by_cookie
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_matching_screenshots(browser, base):
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager = UserFactory(name="Mona Manager", time_zone="Europe/Berlin")
    cohort = demo_cohort(manager, mentees=60, mentors=24)
    settings = adapter.default_settings(cohort)
    first = run_start(cohort=cohort, actor=manager, settings=settings)
    second = run_start(cohort=cohort, actor=manager, settings={**settings, "mode": "stable"})
    first.refresh_from_db()
    p = first.proposals.first()
    assert p is not None
    pages = [
        ("matching-cohort", f"/cohorts/{cohort.public_id}/matching/"),
        ("matching-run", f"/runs/{first.public_id}/"),
        ("matching-why-not", f"/runs/{first.public_id}/why-not/?mentee={p.mentee.public_id}"),
        ("matching-compare", f"/runs/{first.public_id}/compare/?with={second.public_id}"),
    ]
    cohort.program.matching_mode = "both"
    cohort.program.save()
    run_publish(run=second, actor=manager, notify=False)
    unmatched = cohort.enrollments.filter(role="mentee").exclude(memberships__is_current=True).first()
    assert unmatched is not None
    chooser = [("recommendations", f"/cohorts/{cohort.public_id}/mentors/")]
    member = Member.objects.filter(role="mentee").select_related("mentorship").first()
    assert member is not None
    people = [
        (unmatched.user, chooser),
        (manager, pages),
        (
            member.user,
            [
                ("mentorships", "/mentorships/"),
                ("mentorship", f"/mentorships/{member.mentorship.public_id}/"),
            ],
        ),
    ]
    for who, visits in people:
        for size, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, timezone_id="Europe/Berlin"
            )
            sign_in_by_cookie(context, base, who)
            page = context.new_page()
            for name, path in visits:
                page.goto(base + path)
                page.screenshot(path=SHOTS / f"{name}-{size}.png", full_page=True)
            context.close()
    print(f"screenshots in {SHOTS}")
