"""The pairs list names each pair's agreement state and leads to the pair's overview."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from meridian.mentorships.agreement import agreement_accept, agreement_propose
from tests.factories import UserFactory, people
from tests.pair_matrix import api_terms

pytestmark = pytest.mark.django_db


def _row(client: Any, pair: Any) -> str:
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    html = client.get(reverse("portal:cohort_pairs", args=[pair.cohort.public_id])).content.decode()
    return " ".join(html.split())


def test_a_pair_without_terms_reads_not_yet_and_links_to_its_overview(client, pair):
    row = _row(client, pair)
    assert "Agreement: Not yet</span>" in row
    assert f'href="{reverse("portal:workspace", args=[pair.public_id])}"' in row


def test_proposed_terms_await_acceptance_then_read_agreed(client, pair):
    mentor, mentee = people(pair)
    agreement_propose(mentorship=pair, user=mentor, terms=api_terms(SimpleNamespace()))
    assert "Awaiting acceptance" in _row(client, pair)
    agreement_accept(mentorship=pair, user=mentee, number=1)
    assert "Agreed 2 Mar 2026" in _row(client, pair)
