"""The program manager opens their pairs from their home, finds a pair by a member's
name, and pages through the rest: at 1280 px, every state passing axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.pair_data import make_pairs
from meridian.portal.pairs import PAIRS_PER_PAGE
from tests.e2e.support import DESKTOP, PHONE, check, in_view, sign_in_by_cookie, visit
from tests.factories import CohortFactory, ProgramFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAIRS = PAIRS_PER_PAGE + 5


def test_the_manager_finds_a_pair_from_their_home(page, base):
    page.set_viewport_size(DESKTOP)
    manager = UserFactory()
    program = ProgramFactory(name="Grow Together", managers=[manager])
    make_pairs(CohortFactory(program=program, status="running"), PAIRS)
    sign_in_by_cookie(page.context, base, manager)

    visit(page, f"{base}/")
    expect(page.get_by_role("row", name=re.compile("Grow Together"))).to_contain_text(str(PAIRS))
    page.get_by_role("link", name="Pairs of Grow Together").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pairs")
    pairs = page.locator("#pairs")
    expect(pairs).to_contain_text(f"{PAIRS} mentorships · page 1 of 2")
    expect(pairs.locator("tbody tr")).to_have_count(PAIRS_PER_PAGE)
    check(page)
    table = page.locator("#pairs .table-wrap")  # every column in view: no sideways scroll at 1280 px
    assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")

    page.get_by_label("Search a member's name").fill("pmentee7")
    page.get_by_role("button", name="Search").click()
    expect(pairs).to_contain_text("1 mentorship")
    expect(pairs.locator("tbody tr")).to_have_count(1)
    expect(pairs.locator("tbody tr")).to_contain_text("Hana Silva pmentor7")
    expect(page).to_have_url(re.compile(r"/pairs/\?q=pmentee7"))  # the search is in the address
    check(page)

    page.get_by_label("Search a member's name").fill("")
    page.get_by_role("button", name="Search").click()
    expect(pairs).to_contain_text(f"{PAIRS} mentorships")
    page.get_by_role("link", name="Next").click()
    expect(pairs).to_contain_text("page 2 of 2")
    expect(pairs.locator("tbody tr")).to_have_count(PAIRS - PAIRS_PER_PAGE)
    check(page)
    assert "Private" not in page.content()  # activity only: no agenda, note or action text


def test_the_managers_home_and_pairs_fit_a_phone(page, base):
    page.set_viewport_size(PHONE)
    manager = UserFactory()
    program = ProgramFactory(name="Grow Together", managers=[manager])
    make_pairs(CohortFactory(program=program, status="running"), 3)
    sign_in_by_cookie(page.context, base, manager)
    visit(page, f"{base}/")  # check(): axe, and no sideways scrolling at 390 px
    in_view(page, page.get_by_role("link", name="Pairs of Grow Together"))
    visit(page, f"{base}/programs/{program.public_id}/pairs/")
    in_view(page, page.get_by_role("button", name="Search"))
