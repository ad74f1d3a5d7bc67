"""Fixtures every app's tests share (loaded by the root conftest.py):

- ``clock``: time stands still at the test module's ``NOW`` (Monday 2 March 2026, 08:00 UTC
  when the module names none; London changes its clocks on 29 March).
- ``pair``: a running cohort's pair mentorship made through the services, at the clock's
  time: Ana Ruiz in London mentors Ben Okafor in Kathmandu, unless the test or its module is
  marked ``@pytest.mark.pair(mentor={...}, mentee={...})`` with other ``UserFactory`` fields
  (``profile__availability`` and the like reach the profile).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.factories import mentoring_pair

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
MENTOR = {"name": "Ana Ruiz", "email": "ana@example.org", "time_zone": "Europe/London"}
MENTEE = {"name": "Ben Okafor", "email": "ben@example.org", "time_zone": "Asia/Kathmandu"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "pair(mentor={...}, mentee={...}): the people of the `pair` fixture (UserFactory fields)"
    )


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(getattr(request.module, "NOW", NOW), tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(request: pytest.FixtureRequest, clock: time_machine.Traveller, db: None) -> Any:
    marker = request.node.get_closest_marker("pair")
    asked = marker.kwargs if marker else {}
    return mentoring_pair(
        mentor_fields={**MENTOR, **asked.get("mentor", {})},
        mentee_fields={**MENTEE, **asked.get("mentee", {})},
    )
