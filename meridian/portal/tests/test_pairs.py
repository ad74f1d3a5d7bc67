"""The program team's pairs list: who is paired, whether they meet; never what they say."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.pair_data import make_pairs
from meridian.mentorships import checkins, files, goals
from meridian.messaging.models import Thread
from meridian.messaging.services import message_send
from meridian.portal.pairs import PAIRS_PER_PAGE
from tests.factories import CohortFactory, ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Grace Manager")


@pytest.fixture
def cohort(manager: Any) -> Any:
    return CohortFactory(program=ProgramFactory(managers=[manager]), status="running")


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_shows_each_pair_with_its_activity_and_never_its_content(
    client: Any, manager: Any, cohort: Any
) -> None:
    make_pairs(cohort, 3)
    client.force_login(manager)
    page = client.get(f"/cohorts/{cohort.public_id}/pairs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ana Silva pmentor0" in html
    assert "Ana Silva pmentee0" in html
    rows = page.context["page"].object_list
    active = next(m for m in rows if m.members.all()[0].user.name.endswith("mentor0"))
    assert (active.meetings_held, active.open_actions) == (2, 1)
    assert active.last_meeting is not None
    assert active.next_meeting is not None
    quiet = next(m for m in rows if m.members.all()[0].user.name.endswith("mentor1"))
    assert (quiet.meetings_held, quiet.open_actions, quiet.next_meeting) == (0, 0, None)
    assert "Private" not in html  # agendas, notes and actions stay with the pair


def test_it_finds_a_pair_by_a_members_name_and_pages(client: Any, manager: Any, cohort: Any) -> None:
    make_pairs(cohort, PAIRS_PER_PAGE + 5)
    client.force_login(manager)
    base = f"/programs/{cohort.program.public_id}/pairs/"
    found = client.get(base, {"q": "pmentee7"}).context["page"]
    assert [m.members.all()[1].user.name for m in found.object_list] == ["Hana Silva pmentee7"]
    second = client.get(base, {"page": 2}).context["page"]
    assert (second.paginator.count, len(second.object_list)) == (PAIRS_PER_PAGE + 5, 5)
    nothing = client.get(base, {"q": "nobody-at-all"})
    assert "No pair matches this search." in nothing.content.decode()


def test_a_bad_filter_is_a_clear_page_not_an_error(client: Any, manager: Any, cohort: Any) -> None:
    client.force_login(manager)
    response = client.get(f"/cohorts/{cohort.public_id}/pairs/", {"status": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_it_does_not_show_another_programs_pairs(client: Any, manager: Any, cohort: Any) -> None:
    other = CohortFactory(status="running")
    make_pairs(other, 2, tag="o")
    client.force_login(manager)
    assert client.get(f"/cohorts/{other.public_id}/pairs/").status_code == 404
    assert client.get(f"/programs/{cohort.program.public_id}/pairs/").context["page"].paginator.count == 0


# session, user, the program or cohort, may its viewer manage it, count, ids, rows, members
PROGRAM_PAGE = 8


@pytest.mark.parametrize("size", [10, 1000])
def test_the_query_count_does_not_grow_with_the_pairs(
    client: Any, manager: Any, cohort: Any, size: int
) -> None:
    make_pairs(cohort, size)
    client.force_login(manager)
    program = f"/programs/{cohort.program.public_id}/pairs/"
    assert _queries(client, program) == PROGRAM_PAGE
    assert _queries(client, program + "?q=silva&page=2") == PROGRAM_PAGE
    assert _queries(client, f"/cohorts/{cohort.public_id}/pairs/") == PROGRAM_PAGE


def test_the_program_and_cohort_pages_lead_their_managers_to_the_pairs(
    client: Any, manager: Any, cohort: Any
) -> None:
    program_pairs = f'href="/programs/{cohort.program.public_id}/pairs/"'
    cohort_pairs = f'href="/cohorts/{cohort.public_id}/pairs/"'
    mentee = make_pairs(cohort, 1)[0].members.get(role="mentee").user
    for person, shown in ((manager, True), (mentee, False)):
        client.force_login(person)
        assert (
            program_pairs in client.get(f"/programs/{cohort.program.public_id}/").content.decode()
        ) is shown
        assert (cohort_pairs in client.get(f"/cohorts/{cohort.public_id}/").content.decode()) is shown


def test_it_counts_contact_between_meetings_never_its_words(client: Any, manager: Any) -> None:
    pair = mentoring_pair(program=ProgramFactory(managers=[manager]))
    mentor, mentee = people(pair)
    thread = Thread.objects.create(mentorship=pair)
    for body in ("Secret body one", "Secret body two"):
        message_send(thread=thread, author=mentee, body=body)
    checkins.checkin_create(mentorship=pair, user=mentor, mood=4, line="Secret line")
    files.shared_link_add(mentorship=pair, user=mentee, url="https://example.org/a", note="Secret note")
    goals.goal_create(mentorship=pair, user=mentee, data=goals.GoalInput(title="Speak at the all-hands"))
    client.force_login(manager)
    html = client.get(f"/programs/{pair.program.public_id}/pairs/").content.decode()
    for said in ("2 messages", "1 check-in", "1 shared item", "1 goal, 0 achieved"):
        assert said in " ".join(html.split()), said
    assert "Secret" not in html
