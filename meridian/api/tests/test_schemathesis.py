"""schemathesis with every check (the CLI's ``--checks all``) over the whole OpenAPI
schema, once for each of three identities: a mentee, a program manager and an
administrator, each signed in by a personal API token. It runs schemathesis's own engine
(all phases: examples, coverage, fuzzing, stateful) in-process against the WSGI app
(``from_wsgi``; the CLI's HTTP client is broken here by urllib3-future, see RECIPES.md),
prints the figures (operations, test cases, failures by check) and asserts that no
response is a server error and that every status and header answered is documented.
Bounded: a few examples per operation and a time budget.

    SCHEMATHESIS_MAX_EXAMPLES=5 SCHEMATHESIS_MAX_SECONDS=40 pytest -s meridian/api/tests/test_schemathesis.py
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.config._operations import OperationConfig, OperationsConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.transport.wsgi import WSGITransport

from meridian.api.tokens import token_create

_send = WSGITransport.send


def _send_in_process(self: Any, case: Any, **kwargs: Any) -> Any:
    # schemathesis 4.32.5 hands the WSGI transport socket-only settings when a check
    # re-sends a request (werkzeug then raises TypeError on max_redirects): drop them.
    for name in ("max_redirects", "verify", "cert", "proxies"):
        kwargs.pop(name, None)
    return _send(self, case, **kwargs)


pytestmark = pytest.mark.django_db(transaction=True)  # the engine's worker threads see the rows

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
MAX_SECONDS = int(os.environ.get("SCHEMATHESIS_MAX_SECONDS", "40"))  # per identity
# The weekly-times text and windows follow rules JSON Schema cannot state (each window's
# end after its start, a known day; PUT needs the text or the windows, not both): the
# schema says so in words and documents the 400, and schemathesis is told that a
# schema-valid body may still earn that documented 400 there, and nowhere else.
SEMANTIC_400 = OperationConfig.from_dict(
    {
        "include-path": "/api/v1/me/availability/",
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "400"]
            }
        },
    }
)


@dataclass
class Figures:
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    server_errors: list[str] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)  # distinct failures by check
    errors: list[str] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, recorder: Any) -> None:
        self.operations.add(recorder.label)
        self.cases += len(recorder.cases)
        for interaction in recorder.interactions.values():
            if interaction.response is not None and interaction.response.status_code >= 500:
                self.server_errors.append(f"{recorder.label}: {interaction.response.status_code}")
        for checks in recorder.checks.values():
            for check in checks:
                if check.status == Status.FAILURE and check.failure_info is not None:
                    failure = check.failure_info.failure
                    key = (recorder.label, check.name, f"{failure.title}: {failure.message[:160]}")
                    if key not in self.seen:
                        self.seen.add(key)
                        if os.environ.get("SCHEMATHESIS_SHOW"):
                            print(key, check.failure_info.code_sample)
                        self.failures[check.name] += 1

    def report(self, identity: str) -> str:
        lines = [
            f"schemathesis --checks all as {identity}: {len(self.operations)} operations, "
            f"{self.cases} test cases, {sum(self.failures.values())} distinct failures, "
            f"{len(self.server_errors)} server errors, {len(self.errors)} errors",
            *(f"  {name}: {count}" for name, count in sorted(self.failures.items())),
            *(f"  failure: {label} [{name}] {title}" for label, name, title in sorted(self.seen)),
            *(f"  error: {error}" for error in self.errors),
        ]
        return "\n".join(lines)


def run_schemathesis(key: str) -> Figures:
    config = SchemathesisConfig()
    config.update(seed=11, max_failures=None, max_time=MAX_SECONDS)
    project = config.projects.override
    project.update(headers={"Authorization": f"Bearer {key}"}, workers=1)
    project.operations = OperationsConfig(operations=[SEMANTIC_400])
    project.checks.update(included_check_names=["all"])
    project.generation.update(max_examples=MAX_EXAMPLES)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=config)
    figures = Figures()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            figures.add(event.recorder)
        elif isinstance(event, events.NonFatalError):
            figures.errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    return figures


@pytest.fixture
def keep_connections(monkeypatch):
    """The WSGI app's request signals would close the test's own database connection."""
    monkeypatch.setattr(WSGITransport, "send", _send_in_process)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.request_finished.connect(_close_in_worker)
    yield
    signals.request_finished.disconnect(_close_in_worker)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _close_in_worker(**kwargs: Any) -> None:
    """The engine's worker threads close their own connections (PostgreSQL would
    otherwise refuse to drop the test database for sessions left open)."""
    if threading.current_thread() is not threading.main_thread():
        connections.close_all()


@pytest.mark.parametrize("identity", ["mentee", "manager", "admin"])
def test_it_passes_schemathesis_with_every_check(identity, world, keep_connections, capsys):
    who = {"mentee": world.mentee.user, "manager": world.manager_a, "admin": world.admin}[identity]
    _token, key = token_create(user=who, name="schemathesis")
    figures = run_schemathesis(key)
    with capsys.disabled():
        print("\n" + figures.report(identity))
    assert len(figures.operations) >= 20
    assert figures.cases >= 100
    assert not figures.server_errors, figures.report(identity)
    # Every status and header an operation answers is in the schema (401 with its
    # WWW-Authenticate, 403, 404, 429 with Retry-After, ...): an integrator can expect them.
    assert not figures.failures["status_code_conformance"], figures.report(identity)
    assert not figures.failures["response_headers_conformance"], figures.report(identity)
    assert not figures.errors, figures.report(identity)
