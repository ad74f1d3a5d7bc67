"""Any input to the pair's forms (the agreement, its template, the unresponsive report):
stored whole or refused with a reason beside a field, never a 500, HTML and script shown
inert, a NUL byte and a megabyte refused in words."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.mentorships import agreement
from meridian.mentorships.models import AgreementTemplate, AgreementVersion, UnresponsiveReport
from tests import pair_matrix as pm
from tests.factories import UserFactory, people

JUNK = st.one_of(
    st.text(max_size=60),
    st.just("<script>alert('x')</script>"),
    st.just("<img src=x onerror=alert(1)>"),
    st.just("a\x00b"),
    st.just("x" * 3000),
    st.integers(-1000, 100_000).map(str),
    st.sampled_from(["", "Mon 09:00-10:00", "Europe/Paris", "on", "2026-02-01"]),
)
AGREEMENT_FIELDS = [*pm.TERMS, "may_record", "seen"]
HX = {"HX-Request": "true"}
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _inert(body: str) -> None:
    assert "<script>alert" not in body
    assert "<img src=x" not in body


@SETTINGS
@given(field=st.sampled_from(AGREEMENT_FIELDS), value=JUNK)
def test_the_agreement_form_stores_whole_or_says_why(client, pair, field, value):
    mentor, _ = people(pair)
    client.force_login(mentor)
    before = AgreementVersion.objects.count()
    data: dict[str, Any] = {**pm.TERMS, "seen": str(before or "")} | {field: value}
    answer = client.post(reverse("mentorships:agreement_propose", args=[pair.public_id]), data, headers=HX)
    stored = AgreementVersion.objects.count() - before
    assert answer.status_code in (200, 204)
    if answer.status_code == 204:
        assert stored == 1
        assert answer["HX-Redirect"].endswith("/agreement/")
    else:
        assert stored == 0
        assert (
            'class="errorlist"' in answer.content.decode()
            or 'class="errors-summary"' in answer.content.decode()
        )
        _inert(answer.content.decode())


@SETTINGS
@given(field=st.sampled_from(list(pm.template_terms(SimpleNamespace()))), value=JUNK)
def test_the_template_form_stores_whole_or_says_why(client, pair, field, value):
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    url = reverse("mentorships:agreement_template", args=[pair.program.public_id])
    before = [agreement.terms_of(t) for t in AgreementTemplate.objects.all()]
    answer = client.post(url, pm.template_terms(SimpleNamespace()) | {field: value})
    assert answer.status_code in (302, 400)
    after = [agreement.terms_of(t) for t in AgreementTemplate.objects.all()]
    if answer.status_code == 302:
        assert len(after) == 1
    else:
        assert after == before  # nothing written
    if answer.status_code == 400:
        _inert(answer.content.decode())


@SETTINGS
@given(since=JUNK, tried=JUNK)
def test_the_report_form_stores_whole_or_says_why(client, pair, since, tried):
    _, mentee = people(pair)
    client.force_login(mentee)
    before = UnresponsiveReport.objects.count()
    answer = client.post(
        reverse("mentorships:report", args=[pair.public_id]), {"since": since, "tried": tried}, headers=HX
    )
    assert answer.status_code == 200
    stored = UnresponsiveReport.objects.count() - before
    body = answer.content.decode()
    assert stored == (0 if 'class="errorlist"' in body or 'class="errors-summary"' in body else 1)
    _inert(body)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("mentorships:agreement_propose", "confidentiality"),
        ("mentorships:agreement_propose", "meeting_times"),
        ("mentorships:checkin", "line"),
        ("mentorships:report", "tried"),
    ],
)
def test_a_megabyte_in_a_text_field_is_refused_in_words(client, pair, url, field):
    _, mentee = people(pair)
    client.force_login(mentee)
    data = {**pm.TERMS, "mood": "3", "since": "2026-02-01", "tried": "Called", field: "x" * 1_000_000}
    answer = client.post(reverse(url, args=[pair.public_id]), data, headers=HX)
    assert answer.status_code == 200
    assert "Ensure this value has at most" in answer.content.decode()


def test_a_body_over_the_upload_limit_is_a_bad_request_not_a_crash(client, pair):
    _, mentee = people(pair)
    client.force_login(mentee)
    data = dict.fromkeys(pm.TERMS, "x" * 1_000_000)  # 9 MB, over Django's 2.5 MB
    answer = client.post(reverse("mentorships:agreement_propose", args=[pair.public_id]), data)
    assert answer.status_code == 400
    assert not AgreementVersion.objects.exists()
