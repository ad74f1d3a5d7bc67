"""/api/v1/me/availability/: read and write one's own weekly times, all or nothing."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.accounts.models import Profile
from meridian.api.tests.conftest import error_of
from meridian.core.timezones import zone_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/availability/"


@pytest.fixture
def me(client):
    user = UserFactory(time_zone="Asia/Kolkata")
    Profile.objects.filter(user=user).update(
        availability="Mon 09:00-12:00; Wed 14:00-17:30", working_hours="Mon 08:00-16:00"
    )
    client.force_login(user)
    return user


def put(client, body, method="put"):
    call = getattr(client, method)
    return call(URL, json.dumps(body), content_type="application/json")


def stored(user):
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    return profile.availability, profile.working_hours, user.time_zone


def test_it_reads_the_times_as_text_and_as_windows(client, me):
    assert client.get(URL).json() == {
        "time_zone": "Asia/Kolkata",
        "availability": "Mon 09:00-12:00; Wed 14:00-17:30",
        "windows": [
            {"day": "Mon", "start": "09:00", "end": "12:00"},
            {"day": "Wed", "start": "14:00", "end": "17:30"},
        ],
        "working_hours": "Mon 08:00-16:00",
        "weekly_minutes": 390,
    }


def test_it_reads_a_person_without_a_profile_as_empty(client):
    user = UserFactory(profile=None, time_zone="UTC")
    client.force_login(user)
    body = client.get(URL).json()
    assert (body["availability"], body["windows"], body["weekly_minutes"]) == ("", [], 0)


def test_it_replaces_the_times_with_text_in_canonical_form(client, me):
    response = put(client, {"availability": "wed 14:00-15:00;mon 23:00-24:00; Wed 14:30-16:00"})
    assert response.status_code == 200, response.content
    assert response.json()["availability"] == "Mon 23:00-24:00; Wed 14:00-16:00"
    assert response.json()["weekly_minutes"] == 180
    assert stored(me) == ("Mon 23:00-24:00; Wed 14:00-16:00", "Mon 08:00-16:00", "Asia/Kolkata")


def test_it_replaces_the_times_with_windows_merging_overlaps(client, me):
    windows = [
        {"day": "Tue", "start": "10:00", "end": "11:00"},
        {"day": "Tue", "start": "09:15", "end": "10:15"},
        {"day": "Sun", "start": "22:00", "end": "24:00"},
    ]
    response = put(client, {"windows": windows, "working_hours": "", "time_zone": "Europe/Berlin"})
    assert response.status_code == 200, response.content
    assert response.json()["windows"] == [
        {"day": "Tue", "start": "09:15", "end": "11:00"},
        {"day": "Sun", "start": "22:00", "end": "24:00"},
    ]
    assert stored(me) == ("Tue 09:15-11:00; Sun 22:00-24:00", "", "Europe/Berlin")


def test_it_clears_the_times_with_an_empty_list(client, me):
    assert put(client, {"windows": []}).json()["availability"] == ""
    assert stored(me)[0] == ""


def test_it_patches_only_what_is_given(client, me):
    response = put(client, {"working_hours": "fri 10:00-14:00"}, method="patch")
    assert response.status_code == 200, response.content
    assert stored(me) == ("Mon 09:00-12:00; Wed 14:00-17:30", "Fri 10:00-14:00", "Asia/Kolkata")
    assert put(client, {"time_zone": "America/Sao_Paulo"}, method="patch").status_code == 200
    assert stored(me)[2] == "America/Sao_Paulo"
    assert put(client, {}, method="patch").status_code == 200


def test_it_asks_a_put_for_the_times(client, me):
    response = put(client, {"working_hours": "Mon 09:00-10:00"})
    assert response.status_code == 400
    assert "availability" in error_of(response)["fields"]
    assert stored(me)[1] == "Mon 08:00-16:00"


def test_it_refuses_text_and_windows_together(client, me):
    response = put(client, {"availability": "Mon 09:00-10:00", "windows": []})
    assert "not both" in error_of(response)["fields"]["windows"][0]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"availability": "Moonday 09:00-10:00"}, "availability", 'unknown day "Moonday"'),
        ({"availability": "Mon 12:00-09:00"}, "availability", "not after start"),
        ({"availability": "Mon 09:10-10:00"}, "availability", "15-minute"),
        ({"availability": "Mon 09:00-24:15"}, "availability", "between 00:00 and 24:00"),
        ({"availability": "Mon 9-10"}, "availability", "expected a window"),
        ({"availability": "Mon 09:00-10:00", "working_hours": "Xyz"}, "working_hours", '"Xyz"'),
        ({"windows": [{"day": "Moonday", "start": "09:00", "end": "10:00"}]}, "windows", "window 1: day"),
        ({"windows": [{"day": "mon", "start": "09:00", "end": "10:00"}]}, "windows", "window 1: day"),
        (
            {
                "windows": [
                    {"day": "Mon", "start": "09:00", "end": "10:00"},
                    {"day": "Tue", "start": "12:00", "end": "09:00"},
                ]
            },
            "windows",
            'window 2: "Tue 12:00-09:00": end 09:00 is not after start 12:00',
        ),
        ({"windows": [{"day": "Wed", "start": "09:05", "end": "10:00"}]}, "windows", "15-minute steps"),
        ({"windows": [{"day": "Wed", "start": "9:00", "end": "10:00"}]}, "windows", "window 1: start"),
        ({"windows": [{"day": "Wed", "start": "09:00"}]}, "windows", "window 1: end"),
        ({"windows": ["Mon 09:00-10:00"]}, "windows", "window 1"),
        ({"windows": "Mon 09:00-10:00"}, "windows", "list"),
        ({"windows": {"day": "Mon"}}, "windows", "list"),
        ({"availability": ["Mon 09:00-10:00"]}, "availability", "valid string"),
        ({"availability": None}, "availability", "null"),
        ({"availability": True}, "availability", "valid string"),
        ({"availability": "Mon 09:00-10:00", "time_zone": "Mars/Olympus"}, "time_zone", "IANA"),
        ({"availability": "Mon 09:00-10:00", "time_zone": 5}, "time_zone", "IANA"),
        ({"availability": "Mon 09:00-10:00\x00"}, "availability", "Null characters"),
    ],
)
def test_it_names_the_field_and_the_bad_window_and_writes_nothing(client, me, body, field, words):
    response = put(client, body)
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert words in " ".join(error["fields"][field]), error
    assert stored(me) == ("Mon 09:00-12:00; Wed 14:00-17:30", "Mon 08:00-16:00", "Asia/Kolkata")


def test_it_writes_nothing_when_only_the_zone_is_bad(client, me):
    response = put(client, {"availability": "Fri 09:00-10:00", "time_zone": "Nowhere"}, method="patch")
    assert response.status_code == 400
    assert stored(me)[0] == "Mon 09:00-12:00; Wed 14:00-17:30"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"windows": [{"day": "Mon", "start": "09:00", "end": "10:00"}] * 10_000}, "windows"),
        ({"availability": "Mon 09:00-10:00; " * 70_000}, "availability"),
        ({"availability": "x" * 1_000_000}, "availability"),
        ({"availability": "", "working_hours": "Mon 09:00-10:00;" * 1000}, "working_hours"),
    ],
)
def test_it_refuses_oversized_input_with_400(client, me, body, field):
    response = put(client, body)
    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_it_refuses_a_body_that_is_not_an_object_or_not_json(client, me):
    deep = "[" * 100_000 + "]" * 100_000
    for raw in ("[1, 2]", '"Mon 09:00-10:00"', "{not json", '{"availability": "\\ud800"}', deep):
        response = client.put(URL, raw, content_type="application/json")
        assert response.status_code == 400, raw
        error_of(response)


def test_it_accepts_a_window_ending_at_midnight(client, me):
    response = put(client, {"windows": [{"day": "Sun", "start": "23:45", "end": "24:00"}]})
    assert response.json()["windows"] == [{"day": "Sun", "start": "23:45", "end": "24:00"}]


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_it_refuses_anonymous_visitors(client, method):
    response = client.get(URL) if method == "get" else put(client, {"availability": ""}, method=method)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("encode", ["form", "multipart"])
def test_it_refuses_an_empty_time_zone_in_a_form_too(client, me, method, encode):
    """schemathesis: an empty form-encoded time_zone was read as "not given" and answered 200."""
    fields = {"availability": "Tue 10:00-11:00", "time_zone": ""}
    if encode == "form":
        response = getattr(client, method)(
            URL, urlencode(fields), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = getattr(client, method)(
            URL, encode_multipart(BOUNDARY, fields), content_type=MULTIPART_CONTENT
        )
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["time_zone"]
    assert stored(me) == ("Mon 09:00-12:00; Wed 14:00-17:30", "Mon 08:00-16:00", "Asia/Kolkata")


def test_it_refuses_windows_in_a_form_rather_than_dropping_them(client, me):
    """schemathesis: form-encoded windows were quietly ignored and the rest written."""
    body = urlencode({"availability": "", "windows": ["day", "start"]}, doseq=True)
    response = client.patch(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["windows"]
    assert stored(me)[0] == "Mon 09:00-12:00; Wed 14:00-17:30"


def test_it_still_takes_a_time_zone_from_a_form(client, me):
    body = urlencode({"availability": "Tue 10:00-11:00", "time_zone": "Europe/Berlin"})
    response = client.patch(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.content
    assert stored(me)[0::2] == ("Tue 10:00-11:00", "Europe/Berlin")


def test_the_schema_lists_exactly_the_zones_it_accepts(client, me):
    """An enum, so a schema-valid time zone is always accepted (schemathesis's
    positive_data_acceptance) and every other text refused (negative_data_rejection)."""
    document = client.get("/api/schema/", {"format": "json"}).json()
    listed = document["components"]["schemas"]["TimeZoneEnum"]["enum"]
    assert set(listed) == zone_names()
    assert len(listed) > 400
    request = document["components"]["schemas"]["PatchedAvailabilityInputRequest"]["properties"]
    assert request["time_zone"]["allOf"] == [{"$ref": "#/components/schemas/TimeZoneEnum"}]
    for zone in (listed[0], listed[-1], "Asia/Kathmandu"):
        assert put(client, {"time_zone": zone}, method="patch").status_code == 200, zone


window = st.fixed_dictionaries(
    {
        "day": st.sampled_from(["Mon", "Tue", "Sun", "sun", "", "Mon "]) | st.text(max_size=5),
        "start": st.sampled_from(["09:00", "24:00", "00:00", "23:45", "9:00"]) | st.text(max_size=6),
        "end": st.sampled_from(["10:00", "24:00", "00:15", "25:00"]) | st.text(max_size=6),
    }
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "availability": st.text(max_size=60) | json_values,
            "windows": st.lists(window | json_values, max_size=5) | json_values,
            "working_hours": st.text(max_size=40) | json_values,
            "time_zone": st.sampled_from(["UTC", "Asia/Kolkata", "utc", ""]) | json_values,
        },
    ),
    method=st.sampled_from(["put", "patch"]),
)
def test_it_never_answers_500_and_keeps_the_stored_text_readable(client, me, body, method):
    response = put(client, body, method=method)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        error_of(response)
    assert client.get(URL).status_code == 200


def test_it_needs_every_part_of_a_window_in_a_patch_too(client, me):
    response = put(client, {"windows": [{"start": "09:00", "end": "10:00"}]}, method="patch")
    assert response.status_code == 400
    assert "window 1: day: This field is required." in error_of(response)["fields"]["windows"]
