"""The top navigation highlights "Mentorships" on every page of a pair's workspace and
"Programs" on a program manager's pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db

PAIR_PAGES = [
    "portal:workspace",
    "messaging:thread",
    "mentorships:goals",
    "mentorships:files",
    "mentorships:agreement",
    "mentorships:close",
]
PROGRAM_PAGES = ["mentorships:sample_goals", "mentorships:agreement_template", "programs:detail"]


def highlighted(client: Any, url: str) -> list[str]:
    """The labels of the top navigation's links marked aria-current on ``url``."""
    answer = client.get(url)
    assert answer.status_code == 200, url
    nav = answer.content.decode().split('class="nav-links"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(r"<a\b([^>]*)>\s*([^<]+)", nav)
    return [label.strip() for attrs, label in links if "aria-current" in attrs]


@pytest.mark.parametrize("name", PAIR_PAGES)
def test_the_pairs_pages_highlight_mentorships(client, pair, name):
    _mentor, mentee = people(pair)
    client.force_login(mentee)
    assert highlighted(client, reverse(name, args=[pair.public_id])) == ["Mentorships"]


@pytest.mark.parametrize("name", PROGRAM_PAGES)
def test_a_managers_program_pages_highlight_programs(client, pair, name):
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    assert highlighted(client, reverse(name, args=[pair.program.public_id])) == ["Programs"]
