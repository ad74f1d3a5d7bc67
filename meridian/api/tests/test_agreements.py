"""The API's agreement, check-ins and unresponsive report: the same services and access
as the pages; bad input answers 400 in the one error shape, a stale accept 409."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from meridian.mentorships.models import AgreementVersion, CheckIn, UnresponsiveReport
from meridian.mentorships.tests.test_agreement import terms
from tests.factories import UserFactory, people


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def base(pair: Any) -> str:
    return f"/api/v1/mentorships/{pair.public_id}/"


def test_propose_accept_and_a_change_needs_everyone_again(api, pair):
    mentor, mentee = people(pair)
    api.force_authenticate(mentor)
    answer = api.put(base(pair) + "agreement/", terms(), format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "waiting"
    assert answer.json()["waiting_for"] == [str(mentee.public_id)]
    api.force_authenticate(mentee)
    answer = api.post(base(pair) + "agreement/accept/", {"number": 1}, format="json")
    assert (answer.json()["state"], answer.json()["agreed_number"]) == ("agreed", 1)
    answer = api.put(base(pair) + "agreement/", terms(every_weeks=4) | {"seen": 1}, format="json")
    assert answer.json()["state"] == "waiting"
    assert answer.json()["agreed_number"] == 1
    assert [v["number"] for v in answer.json()["versions"]] == [2, 1]
    api.force_authenticate(mentor)
    stale = api.post(base(pair) + "agreement/accept/", {"number": 1}, format="json")
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.json()["error"]["message"]
    assert (
        api.post(base(pair) + "agreement/accept/", {"number": 2}, format="json").json()["state"] == "agreed"
    )


def test_a_refused_proposal_names_the_field(api, pair):
    mentor, _ = people(pair)
    api.force_authenticate(mentor)
    answer = api.put(base(pair) + "agreement/", terms(meeting_times="Funday 9-5"), format="json")
    assert answer.status_code == 400
    assert "meeting_times" in answer.json()["error"]["fields"]
    assert not AgreementVersion.objects.exists()


def test_check_ins_are_the_pairs_and_a_report_goes_to_the_team(api, pair):
    mentor, mentee = people(pair)
    api.force_authenticate(mentee)
    made = api.post(base(pair) + "checkins/", {"mood": 5, "line": "Got the job!"}, format="json")
    assert made.status_code == 201, made.json()
    api.force_authenticate(mentor)
    listed = api.get(base(pair) + "checkins/").json()
    assert [(c["mood"], c["line"]) for c in listed["results"]] == [(5, "Got the job!")]
    manager = UserFactory()
    pair.program.managers.add(manager)
    api.force_authenticate(manager)
    assert api.get(base(pair) + "checkins/").status_code == 404  # counts and dates only, in the pairs list
    api.force_authenticate(mentor)
    report = api.post(
        base(pair) + "report-unresponsive/", {"since": "2026-02-20", "tried": "Three emails"}, format="json"
    )
    assert report.status_code == 201, report.json()
    assert UnresponsiveReport.objects.get().reporter_role == "mentor"


JUNK = st.one_of(
    st.text(max_size=50),
    st.text(max_size=3000),
    st.just("<script>alert(1)</script>"),
    st.just("a\x00b"),
    st.integers(-10, 10_000),
    st.none(),
    st.booleans(),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(sorted(terms())),
    value=JUNK,
    endpoint=st.sampled_from(["agreement", "checkins", "report"]),
)
def test_no_input_makes_a_500_or_a_half_written_state(api, pair, field, value, endpoint):
    mentor, _ = people(pair)
    api.force_authenticate(mentor)
    before = (AgreementVersion.objects.count(), CheckIn.objects.count(), UnresponsiveReport.objects.count())
    if endpoint == "agreement":
        answer = api.put(base(pair) + "agreement/", terms(**{field: value}), format="json")
    elif endpoint == "checkins":
        answer = api.post(base(pair) + "checkins/", {"mood": value, "line": value}, format="json")
    else:
        answer = api.post(
            base(pair) + "report-unresponsive/", {"since": value, "tried": value}, format="json"
        )
    assert answer.status_code in (200, 201, 400, 409), answer.content
    after = (AgreementVersion.objects.count(), CheckIn.objects.count(), UnresponsiveReport.objects.count())
    grown = sum(a - b for a, b in zip(after, before, strict=True))
    assert grown == (1 if answer.status_code in (200, 201) else 0)
    if answer.status_code == 400:
        assert set(answer.json()) == {"error"}


@pytest.mark.parametrize("made", [1, 30])
def test_the_check_in_list_costs_the_same_queries_for_one_or_many(api, pair, made, django_assert_num_queries):
    mentor, mentee = people(pair)
    for n in range(made):
        CheckIn.objects.create(mentorship=pair, author=mentee if n % 2 else mentor, mood=3)
    api.force_authenticate(mentor)
    # the mentorship and its members, may see it, in the pair, the count, the page with authors
    with django_assert_num_queries(6):
        assert len(api.get(base(pair) + "checkins/").json()["results"]) == made


def test_the_program_team_reads_the_state_not_the_terms(api, pair):
    mentor, mentee = people(pair)
    api.force_authenticate(mentor)
    api.put(base(pair) + "agreement/", terms(confidentiality="Secret sauce"), format="json")
    manager = UserFactory()
    pair.program.managers.add(manager)
    api.force_authenticate(manager)
    answer = api.get(base(pair) + "agreement/")
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["waiting_for"]) == ("waiting", [str(mentee.public_id)])
    assert answer.json()["versions"] == []
    assert "Secret sauce" not in answer.content.decode()
