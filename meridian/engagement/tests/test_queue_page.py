"""The check-in queue's page in sections by kind, the urgent ones first, each with its
count; the regular check-ins folded away while health items wait; "show more" beyond a
page of cards, with htmx and without; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meridian.engagement import queue_reads
from meridian.engagement.models import Band, Health, LadderSettings, QueueItem, QueueKind
from tests.factories import ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def program() -> Any:
    manager = UserFactory(name="Mona Manager")
    program = ProgramFactory(name="Bridge", managers=[manager])
    LadderSettings.objects.create(program=program, standing_contacts=False)
    return program


def items(program: Any, kind: str, n: int, *, due_in: int = 0) -> list[QueueItem]:
    """``n`` pairs with an open item of ``kind`` (at risk: with their health), one pair each."""
    made = []
    for i in range(n):
        pair = mentoring_pair(program=program)
        if kind == QueueKind.AT_RISK:
            Health.objects.create(
                mentorship=pair, band=Band.AT_RISK, score=30 - i, band_since=TODAY, assessed_on=TODAY
            )
        made.append(
            QueueItem.objects.create(
                mentorship=pair,
                kind=kind,
                reason=f"{kind} {i}",
                urgency=200 - i if kind == QueueKind.AT_RISK else 10,
                due_on=TODAY + dt.timedelta(days=due_in),
            )
        )
    return made


def page_of(client: Any, program: Any, query: str = "", **headers: Any) -> str:
    client.force_login(program.managers.get())
    answer = client.get(f"/programs/{program.public_id}/check-ins/{query}", headers=headers)
    assert answer.status_code == 200
    return str(answer.content.decode())


def test_it_shows_sections_by_kind_with_counts_and_folds_the_regular_check_ins(client, program):
    standing = items(program, QueueKind.STANDING, queue_reads.PER_PAGE + 3)
    coming = items(program, QueueKind.STANDING, 2, due_in=2)
    at_risk = items(program, QueueKind.AT_RISK, 2)
    health = items(program, QueueKind.HEALTH, 1)

    html = page_of(client, program)

    titles = re.findall(r'<h2 id="title-(\w+)">([^<]+)<span class="count">(\d+)</span>', html)
    assert [(kind, count) for kind, _title, count in titles] == [("at_risk", "2"), ("health", "1")]
    assert re.search(r'<details class="queue-section" id="section-standing">\s*<summary>', html)
    assert "2 pairs to contact today." not in html
    assert f"{len(standing) + len(at_risk) + len(health)} pairs to contact today." in html
    assert html.index(f"item-{at_risk[0].public_id}") < html.index(f"item-{at_risk[1].public_id}")
    assert html.index(f"item-{at_risk[1].public_id}") < html.index(f"item-{health[0].public_id}")
    shown = [i for i in standing + coming if f"item-{i.public_id}" in html]
    assert len(shown) == queue_reads.PER_PAGE
    assert "Show 5 more (5 not shown yet)" in html
    assert not any(f"item-{i.public_id}" in html for i in coming)  # coming up: after those due


def test_show_more_brings_the_next_cards_with_htmx_and_without(client, program):
    standing = items(program, QueueKind.STANDING, queue_reads.PER_PAGE + 3)
    coming = items(program, QueueKind.STANDING, 2, due_in=2)
    every = {f"item-{i.public_id}" for i in standing + coming}

    first = page_of(client, program)
    assert '<details class="queue-section"' not in first  # only regular check-ins: shown open
    more = page_of(client, program, "?kind=standing&page=2", **HTMX)
    assert "<html" not in more
    assert "Show" not in more  # the last page
    seen_first = {k for k in every if k in first}
    seen_more = {k for k in every if k in more}
    assert len(seen_more) == 5
    assert seen_first | seen_more == every
    assert "coming up 22 May 2026" in first + more
    plain = page_of(client, program, "?kind=standing&page=2")
    assert all(k in plain for k in every)  # without htmx: the section with two pages


def test_it_reads_the_page_in_a_fixed_number_of_queries(client, program):
    def queries_with(n: int) -> int:
        items(program, QueueKind.AT_RISK, n)
        items(program, QueueKind.STANDING, n)
        client.force_login(program.managers.get())
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"/programs/{program.public_id}/check-ins/").status_code == 200
        return len(seen)

    few = queries_with(2)
    assert queries_with(queue_reads.PER_PAGE) == few
