"""The review's forms and pages under wrong, missing, oversized and hostile input: a clear
message or a 404, never a 500, and nothing changed by a refused edit."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.matching import adapter
from meridian.matching.models import RunStatus
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort

pytestmark = pytest.mark.django_db
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "0", "-1", "1e99", "NaN", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "é" * 400]
    ),
)
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def run(manager):
    cohort = demo_cohort(manager, mentees=10, mentors=4)
    settings_ = {**adapter.default_settings(cohort), "constraints": {"min_shared_hours": 0}}
    found = run_start(cohort=cohort, actor=manager, settings=settings_)
    found.refresh_from_db()
    assert found.status == RunStatus.DONE
    assert found.matched >= 2
    return found


def _snapshot(run):
    return sorted(run.proposals.values_list("mentee_id", "mentor_id", "locked"))


@FUZZ
@given(
    action=st.sampled_from(["move/", "swap/"]),
    field=st.sampled_from(["mentee", "mentor", "pair", "next"]),
    value=HOSTILE,
)
def test_hostile_edits_are_refused_in_words(client, manager, run, action, field, value):
    client.force_login(manager)
    before = _snapshot(run)
    response = client.post(f"/runs/{run.public_id}/{action}", {field: value})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(f"/runs/{run.public_id}/")  # never off-site
    assert _snapshot(run) == before


@FUZZ
@given(mentee=HOSTILE, mentor=HOSTILE, name=HOSTILE, page=HOSTILE, q=HOSTILE)
def test_hostile_queries_never_fail(client, manager, run, mentee, mentor, name, page, q):
    client.force_login(manager)
    assert client.get(f"/runs/{run.public_id}/", {"page": page, "q": q}).status_code == 200
    why = client.get(f"/runs/{run.public_id}/why-not/", {"mentee": mentee, "mentor": mentor, "name": name})
    assert why.status_code == 404  # no such mentee
    assert client.get(f"/runs/{run.public_id}/compare/", {"with": mentee}).status_code in (200, 404)


def test_oversized_reason_and_foreign_pairs(client, manager, run):
    client.force_login(manager)
    first = run.proposals.order_by("pk").first()
    assert first is not None
    response = client.post(
        f"/runs/{run.public_id}/pairs/{first.mentee.public_id}/exclude/",
        {"reason": "x" * 100_000},
        follow=True,
    )
    assert "The reason is too long" in response.content.decode()
    assert not run.cohort.exclusions.exists()
    assert run.proposals.filter(pk=first.pk).exists()
    other = run_start(cohort=run.cohort, actor=manager, settings=run.settings)
    foreign = other.proposals.first()
    assert foreign is not None
    client.post(f"/runs/{run.public_id}/pairs/{foreign.mentee.public_id}/lock/")
    foreign.refresh_from_db()
    assert not foreign.locked  # an address names a pair of its own run only
    swap = client.post(f"/runs/{run.public_id}/swap/", {"pair": [first.pk, foreign.pk]})
    assert swap.status_code == 302
    assert client.post(f"/runs/{run.public_id}/pairs/{uuid.uuid4()}/unmatch/").status_code == 404
    assert client.post(f"/runs/{run.public_id}/pairs/{first.pk}/unmatch/").status_code == 404


def test_a_published_run_can_no_longer_be_edited(client, manager, run):
    client.force_login(manager)
    run_publish(run=run, actor=manager, notify=False)
    p = run.proposals.first()
    assert p is not None
    response = client.post(f"/runs/{run.public_id}/pairs/{p.mentee.public_id}/lock/", follow=True)
    assert "can no longer be changed" in response.content.decode()
    p.refresh_from_db()
    assert not p.locked


def test_wrong_settings_keep_the_form_with_errors_next_to_the_fields(client, manager, run):
    client.force_login(manager)
    url = f"/cohorts/{run.cohort.public_id}/matching/"
    data = {f"w_{c}": "0" for c in ("values", "skills", "hours", "languages", "seniority", "channels")}
    data |= {"min_shared_hours": "-3", "mode": "magic", "objective": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("errorlist") >= 3
    assert run.cohort.match_runs.count() == 1


@pytest.mark.parametrize("public_id", ["nope", quote("../../etc/passwd", safe=""), "0" * 36])
def test_bad_run_ids_are_404(client, manager, public_id):
    client.force_login(manager)
    assert client.get(f"/runs/{public_id}/").status_code == 404
