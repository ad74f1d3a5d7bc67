"""Every API error is JSON in the one error shape (security finding 10a): a lone
surrogate in any text the API takes is a 400 naming the field (it was a 500, an HTML
page under DEBUG=0), and Django's own 404 and 500 under /api/ are JSON too."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.api.tests.conftest import error_of
from meridian.mentorships.services import start

SURROGATE = st.characters(categories=["Cs"])  # U+D800..U+DFFF: valid in a JSON escape, no character
WITH_SURROGATE = st.tuples(st.text(max_size=5), SURROGATE, st.text(max_size=5)).map("".join)
ANY_TEXT = st.text(st.characters() | SURROGATE, max_size=20)
MANAGERS = ("match-runs", "check-ins")  # endpoints of the program's managers; the rest, the mentee's


def _schema_fields() -> list[tuple[str, str, str, bool]]:
    """(method, path, field, is_list) for every text or choice field of every request
    body in the OpenAPI schema, so a new endpoint is covered without editing this list."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            name = ref.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
            for field, spec in components.get(name, {}).get("properties", {}).items():
                spec = components[spec["$ref"].rsplit("/", 1)[-1]] if "$ref" in spec else spec
                kinds = {spec.get("type"), spec.get("items", {}).get("type")}
                if "string" in kinds or "enum" in spec or "allOf" in spec or "oneOf" in spec:
                    found.append((method.upper(), path, field, spec.get("type") == "array"))
    return found


@pytest.fixture
def objects(world: Any) -> dict[str, str]:
    """Real ids, so each request reaches the body: a pair of A, a meeting the mentor proposed,
    a goal of the mentee's."""
    from meridian.scheduling import services

    mentorship = start(mentor=world.mentor, mentees=[world.mentee]).mentorship
    when = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    meeting = services.meeting_propose(
        mentorship=mentorship,
        user=world.mentor.user,
        proposal=services.MeetingProposal(starts=[when], minutes=30),
    )
    from meridian.mentorships import goals

    goal = goals.goal_create(
        mentorship=mentorship, user=world.mentee.user, data=goals.GoalInput(title="Lead the review")
    )
    from meridian.engagement.models import Pulse, QueueKind
    from meridian.engagement.queue import open_item

    pulse = Pulse.objects.create(
        mentorship=mentorship,
        user=world.mentee.user,
        role="mentee",
        number=1,
        due_on=timezone.localdate(),
        sent_at=timezone.now(),
    )
    item = open_item(
        mentorship=mentorship,
        kind=QueueKind.STANDING,
        reason="First check-in",
        urgency=1,
        due_on=pulse.due_on,
    )
    return {
        "mentorships": str(mentorship.public_id),
        "meetings": str(meeting.public_id),
        "goals": str(goal.public_id),
        "pulses": str(pulse.public_id),
        "check-ins": str(item.public_id),
    }


def _url(path: str, objects: dict[str, str]) -> str:
    kind = path.split("/")[3]
    return path.replace("{public_id}", objects.get(kind, "00000000-0000-0000-0000-000000000000"))


def _post(client: Client, method: str, url: str, body: Any) -> Any:
    send = getattr(client, method.lower())
    return send(url, json.dumps(body), content_type="application/json")  # ensure_ascii: "\ud800"


def test_it_covers_the_choice_fields_of_every_write_endpoint(db):
    fields = {(path, field) for _m, path, field, _l in _schema_fields()}
    assert ("/api/v1/mentorships/{public_id}/meetings/", "channel") in fields
    assert ("/api/v1/meetings/{public_id}/outcome/", "outcome") in fields
    assert len(fields) >= 10


def test_it_refuses_a_lone_surrogate_in_a_choice_field_naming_the_field(client, world, objects):
    client.force_login(world.mentee.user)
    url = f"/api/v1/mentorships/{objects['mentorships']}/meetings/"
    body = '{"starts": ["2030-01-01T10:00:00Z"], "minutes": 30, "channel": "\\ud800"}'
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert set(error["fields"]) == {"channel"}
    assert "surrogate" in error["fields"]["channel"][0]


def test_it_names_the_place_in_a_list_and_refuses_a_surrogate_key(client, world, objects):
    client.force_login(world.mentee.user)
    url = f"/api/v1/mentorships/{objects['mentorships']}/meetings/"
    response = _post(client, "POST", url, {"starts": ["2030-01-01T10:00:00Z", "\udfff"]})
    assert set(error_of(response)["fields"]) == {"starts.1"}
    response = _post(client, "POST", url, {"\ud800": "x"})
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"non_field_errors"}


def test_every_text_field_of_every_endpoint_refuses_a_lone_surrogate(client, world, objects):
    for method, path, field, is_list in _FIELDS:
        client.force_login(world.manager_a if any(part in path for part in MANAGERS) else world.mentee.user)
        text = "ab\ud800"
        response = _post(client, method, _url(path, objects), {field: [text] if is_list else text})
        assert response.status_code == 400, (path, field, response.content)
        assert field in next(iter(error_of(response)["fields"])), (path, field)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), text=WITH_SURROGATE)
def test_it_answers_400_to_a_surrogate_in_any_text_field(client, world, objects, data, text):
    method, path, field, is_list = data.draw(st.sampled_from(_FIELDS))
    client.force_login(world.manager_a if any(part in path for part in MANAGERS) else world.mentee.user)
    response = _post(client, method, _url(path, objects), {field: [text] if is_list else text})
    assert response.status_code == 400, (path, field, response.content)
    assert field in next(iter(error_of(response)["fields"]))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), text=ANY_TEXT)
def test_it_never_answers_500_to_any_text_in_any_field(client, world, objects, data, text):
    method, path, field, is_list = data.draw(st.sampled_from(_FIELDS))
    client.force_login(world.manager_a if any(part in path for part in MANAGERS) else world.mentee.user)
    response = _post(client, method, _url(path, objects), {field: [text] if is_list else text})
    assert response.status_code < 500, (path, field, response.content)
    if response.status_code >= 400:
        error_of(response)


def test_it_answers_an_unknown_api_address_in_json(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "not_found"
    page = client.get("/no-such-page/")  # the site itself keeps its HTML page
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_it_answers_a_crash_under_api_in_json(client, settings, world, monkeypatch):
    from meridian.api.v1.accounts import MeDetail

    def crash(self: Any) -> Any:
        raise RuntimeError("boom")

    settings.DEBUG = False
    monkeypatch.setattr(MeDetail, "get_object", crash)
    client.raise_request_exception = False
    client.force_login(world.mentee.user)
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert error_of(response)["code"] == "server_error"
    assert "boom" not in response.content.decode()


_FIELDS = _schema_fields()  # built without the database, once
