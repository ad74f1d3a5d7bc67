"""Health where the program team looks: a column and the at-risk filter on the pairs list,
a section on the overview of a pair (reasons, band history, queue items, contacts), and
"N pairs to contact" on the manager's home. Never shown to the pair."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from meridian.engagement.models import ContactLog, Health, HealthChange, QueueItem
from meridian.mentorships.models import Mentorship
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def today() -> Any:
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Mona Manager", time_zone="Asia/Kolkata")


@pytest.fixture
def program(manager: Any) -> Any:
    return ProgramFactory(name="Bridge", managers=[manager])


def assessed(program: Any, band: str, score: int, reasons: list[str]) -> Mentorship:
    pair: Mentorship = mentoring_pair(program=program)
    Health.objects.create(
        mentorship=pair,
        band=band,
        score=score,
        band_since=TODAY - dt.timedelta(days=9),
        assessed_on=TODAY,
        reasons=reasons,
        signals=["contact_gap"],
        last_activity_at=dt.datetime(2026, 5, 1, 16, 30, tzinfo=dt.UTC),
    )
    return pair


def test_the_pairs_list_shows_each_pairs_band_score_and_worst_reason(client: Client, manager, program):
    assessed(program, "at_risk", 22, ["No meeting for 6 weeks; you agreed every 2 weeks.", "Second reason."])
    assessed(program, "on_track", 91, [])
    client.force_login(manager)
    page = client.get(f"/programs/{program.public_id}/pairs/").content.decode()
    assert '<span class="badge at_risk">At risk · score 22/100</span>' in page  # out of what, said
    assert "No meeting for 6 weeks; you agreed every 2 weeks." in page
    assert "Second reason." not in page  # the worst only; the overview has them all
    assert '<span class="badge on_track">On track · score 91/100</span>' in page


def test_the_at_risk_list_holds_the_pairs_at_risk_lowest_score_first(client: Client, manager, program):
    worse = assessed(program, "at_risk", 10, ["Worse."])
    bad = assessed(program, "at_risk", 30, ["Bad."])
    fine = assessed(program, "on_track", 90, [])
    checking = assessed(program, "check_in", 60, ["Check."])
    client.force_login(manager)
    page = client.get(f"/programs/{program.public_id}/pairs/?health=at_risk").content.decode()
    assert "2 mentorships" in page
    assert page.index(str(worse.public_id)) < page.index(str(bad.public_id))
    assert str(fine.public_id) not in page
    assert str(checking.public_id) not in page
    needs = client.get(f"/programs/{program.public_id}/pairs/?health=check_in").content.decode()
    assert str(checking.public_id) in needs
    assert str(worse.public_id) not in needs


def test_the_overview_shows_reasons_history_queue_and_contacts_to_managers_only(
    client: Client, manager, program
):
    pair = assessed(program, "at_risk", 22, ["First reason.", "Second reason."])
    HealthChange.objects.create(mentorship=pair, on=TODAY, old_band="check_in", new_band="at_risk", score=22)
    item = QueueItem.objects.create(
        mentorship=pair, kind="at_risk", reason="First reason.", urgency=278, due_on=TODAY
    )
    ContactLog.objects.create(
        mentorship=pair, item=item, manager=manager, channel="call", outcome="left_word", note="Try Friday"
    )
    client.force_login(manager)
    page = client.get(f"/mentorships/{pair.public_id}/").content.decode()
    for seen in (
        '<span class="badge at_risk">At risk · score 22/100</span>',
        "First reason.",
        "Second reason.",
        "20 May 2026: Needs a check-in → At risk",
        "Fri 1 May 2026, 22:00 (Asia/Kolkata)",  # 16:30 UTC on the manager's clock
        "Call on 20 May 2026, 15:30 by Mona Manager: Left a message",
        "Try Friday",
        f"/programs/{program.public_id}/check-ins/",
    ):
        assert seen in page, seen
    for person in people(pair):
        client.force_login(person)
        own = client.get(f"/mentorships/{pair.public_id}/").content.decode()
        assert "First reason." not in own
        assert "Try Friday" not in own
        assert 'id="health-section"' not in own


def test_the_managers_home_counts_the_pairs_to_contact_and_links_to_the_queue(
    client: Client, manager, program
):
    pair = assessed(program, "at_risk", 22, ["Gap."])
    QueueItem.objects.create(mentorship=pair, kind="at_risk", reason="Gap.", urgency=278, due_on=TODAY)
    QueueItem.objects.create(mentorship=pair, kind="standing", reason="Regular.", urgency=10, due_on=TODAY)
    later = assessed(program, "at_risk", 22, ["Gap."])
    QueueItem.objects.create(
        mentorship=later,
        kind="at_risk",
        reason="Gap.",
        urgency=278,
        due_on=TODAY,
        snoozed_until=TODAY.replace(day=25),
    )
    client.force_login(manager)
    response = client.get("/")
    to_do = {item.text: (item.count, item.url) for item in response.context["manager"]["to_do"]}
    assert to_do["1 pair to contact in Bridge"] == (1, f"/programs/{program.public_id}/check-ins/")


def test_the_program_page_leads_its_managers_to_the_queue(client: Client, manager, program):
    queue = f'href="/programs/{program.public_id}/check-ins/"'
    client.force_login(manager)
    assert queue in client.get(f"/programs/{program.public_id}/").content.decode()
    mentor, _mentee = people(mentoring_pair(program=program))
    client.force_login(mentor)
    assert queue not in client.get(f"/programs/{program.public_id}/").content.decode()
