"""Whatever is typed or posted, the send form and the endpoint answer in words, never with
a 500: a message is stored whole and exactly as cleaned, or not at all."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.messaging.models import MAX_BODY, Message
from meridian.messaging.services import clean_body

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BODIES = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(" \n\t\x00<>&\"'é🙂"), max_size=40),
    st.builds(lambda n, c: c * n, st.integers(MAX_BODY - 2, MAX_BODY + 2), st.sampled_from("xé ")),
    st.sampled_from(["<script>alert(1)</script>", "{{ 1 }}", "{% csrf_token %}", "\x00", "   "]),
)


def _stored_as_cleaned(text: str, before: int) -> None:
    try:
        expected = clean_body(text)
    except Exception:
        assert Message.objects.count() == before
        return
    assert Message.objects.count() == before + 1
    assert Message.objects.latest("id").body == expected


@FUZZ
@given(body=BODIES, htmx=st.booleans())
def test_the_send_form_never_fails(client, talk, body, htmx):
    client.force_login(talk.mentee)
    before = Message.objects.count()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        f"/mentorships/{talk.mentorship.public_id}/messages/", {"body": body}, headers=headers
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200 and Message.objects.count() == before:
        assert 'class="errorlist"' in response.content.decode()
    _stored_as_cleaned(body, before)


@FUZZ
@given(
    payload=st.one_of(
        st.fixed_dictionaries({"body": BODIES}),
        st.dictionaries(
            st.text(max_size=5), st.one_of(st.none(), st.integers(), st.text(max_size=5)), max_size=3
        ),
        st.lists(st.integers(), max_size=3),
        st.none(),
    )
)
def test_the_endpoint_never_fails(client, talk, payload):
    client.force_login(talk.mentee)
    before = Message.objects.count()
    response = client.post(
        f"/api/v1/mentorships/{talk.mentorship.public_id}/messages/",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert response.json()["error"]["code"] in ("invalid", "parse_error")
        assert Message.objects.count() == before
    else:
        _stored_as_cleaned(str(payload["body"]), before)


@FUZZ
@given(after=st.text(max_size=40), before=st.text(max_size=40), started=st.text(max_size=15))
def test_the_poll_and_the_older_pages_never_fail(client, talk, after, before, started):
    client.force_login(talk.mentee)
    base = f"/mentorships/{talk.mentorship.public_id}/messages/"
    poll = client.get(base + "new/", {"after": after, "started": started}, headers={"HX-Request": "true"})
    assert poll.status_code in (200, 204, 400)
    older = client.get(base, {"before": before}, headers={"HX-Request": "true"})
    assert older.status_code in (200, 400)
