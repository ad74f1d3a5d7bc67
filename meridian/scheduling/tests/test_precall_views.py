from __future__ import annotations

import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.scheduling.views.precall import PROBE_MAX_BYTES, probe_size
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/meetings/check/"
PROBE = "/meetings/check/probe/"


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("url", [PAGE, PROBE])
def test_it_sends_anonymous_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_renders_the_page_with_three_pending_checks(signed_in):
    response = signed_in.get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your camera, microphone and connection" in html
    assert html.count('data-state="pending"') == 3
    assert html.count('aria-live="polite"') == 3
    assert f'data-probe-url="{PROBE}"' in html
    assert "scheduling/precall.js" in html
    assert "<video" in html
    assert "muted" in html
    assert "playsinline" in html
    text = json.loads(html.split('id="precall-text" type="application/json">')[1].split("</script>")[0])
    assert text["camera_blocked"].startswith("Your browser blocked the camera.")


@pytest.mark.parametrize("url", [PAGE, PROBE])
def test_it_answers_get_only(signed_in, url):
    assert signed_in.post(url).status_code == 405


@pytest.mark.parametrize(
    ("query", "size"),
    [("", 1), ("?size=1", 1), ("?size=262144", 262_144), ("?size=1048576", PROBE_MAX_BYTES)],
)
def test_it_sends_the_bytes_asked_for_uncached(signed_in, query, size):
    response = signed_in.get(PROBE + query)
    assert response.status_code == 200
    assert len(response.content) == size
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Cache-Control"] == "no-store"


def test_it_sends_incompressible_bytes(signed_in):
    first = signed_in.get(PROBE, {"size": 65_536}).content
    second = signed_in.get(PROBE, {"size": 65_536}).content
    assert first != second
    assert len(zlib.compress(first, 9)) > 0.99 * len(first)


@pytest.mark.parametrize(
    ("size", "length"),
    [
        ("-1", 1),
        ("0", 1),
        ("", 1),
        ("  42 ", 42),
        ("0007", 7),
        (str(10**12), PROBE_MAX_BYTES),
        ("9" * 5000, PROBE_MAX_BYTES),  # past Python's int() digit limit
        ("-" + "9" * 5000, 1),
    ],
)
def test_it_clamps_whole_numbers_into_range(signed_in, size, length):
    response = signed_in.get(PROBE, {"size": size})
    assert response.status_code == 200
    assert len(response.content) == length


@pytest.mark.parametrize("size", ["abc", "1e6", "0x10", "1.5", "10**12", "١٢٣", "１２", "12\x00", "--1"])
def test_it_refuses_what_is_not_a_whole_number_plainly(signed_in, size):
    response = signed_in.get(PROBE, {"size": size})
    assert response.status_code == 400
    assert response.content.decode() == "size must be a whole number of bytes from 1 to 1048576."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.text(max_size=40))
def test_it_never_fails_on_any_size(signed_in, size):
    response = signed_in.get(PROBE, {"size": size})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert 1 <= len(response.content) <= PROBE_MAX_BYTES


@given(raw=st.text(max_size=30))
def test_it_returns_a_size_in_range_or_none(raw):
    size = probe_size(raw)
    assert size is None or 1 <= size <= PROBE_MAX_BYTES
