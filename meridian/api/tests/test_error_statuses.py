"""The schema tells the truth about every status an operation answers (issue 13, defect 8):
no credentials or a bad token answer 401 with a ``WWW-Authenticate`` challenge on every
operation (was 403 without one), and every operation has a summary and documents its
401, 403 and 429, its 404 where it reads an object by id and its 400 where it validates
input, each in the one error shape. Each status a test here sees is looked up in the
schema for that operation, so a new endpoint is covered without editing this file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from meridian.api.tests.conftest import error_of
from tests.factories import ProgramFactory, UserFactory

UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"
METHODS = ("get", "post", "put", "patch", "delete")


def schema() -> dict[str, Any]:
    return dict(SchemaGenerator().get_schema(request=None, public=True))


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for route, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), route, item[method]


def response(document: dict[str, Any], operation: dict[str, Any], code: int) -> dict[str, Any] | None:
    """The documented response for ``code``, its ``$ref`` followed; None when undocumented."""
    found = operation["responses"].get(str(code))
    if found is not None and "$ref" in found:
        found = document["components"]["responses"][found["$ref"].rsplit("/", 1)[-1]]
    return dict(found) if found is not None else None


def call(client: Client, method: str, route: str, **headers: Any) -> Any:
    url = route.replace("{public_id}", UNKNOWN_ID)
    if method == "GET":
        return client.get(url, headers=headers)
    return getattr(client, method.lower())(url, data="{}", content_type="application/json", headers=headers)


def test_every_operation_has_a_summary_and_documents_its_errors(db):
    document = schema()
    problems = []
    for method, route, operation in operations(document):
        where = f"{method} {route}"
        if not operation.get("summary"):
            problems.append(f"{where}: no summary")
        validates = "requestBody" in operation or any(
            p["in"] == "query" for p in operation.get("parameters", [])
        )
        expected = {401, 403, 429} | ({404} if "{" in route else set()) | ({400} if validates else set())
        for code in sorted(expected):
            documented = response(document, operation, code)
            if documented is None:
                problems.append(f"{where}: {code} undocumented")
                continue
            body = documented.get("content", {}).get("application/json", {}).get("schema")
            if body != {"$ref": "#/components/schemas/Error"}:
                problems.append(f"{where}: {code} is not in the one error shape")
        if "WWW-Authenticate" not in (response(document, operation, 401) or {}).get("headers", {}):
            problems.append(f"{where}: 401 without its WWW-Authenticate header")
        if "Retry-After" not in (response(document, operation, 429) or {}).get("headers", {}):
            problems.append(f"{where}: 429 without its Retry-After header")
    assert sum(1 for _ in operations(document)) >= 26
    assert not problems, "\n".join(problems)


def test_every_operation_answers_401_with_a_challenge_to_no_or_a_bad_token(client, db):
    document = schema()
    problems = []
    for method, route, operation in operations(document):
        for credentials, code in [
            ({}, "not_authenticated"),
            ({"Authorization": "Bearer nope"}, "authentication_failed"),
        ]:
            answer = call(client, method, route, **credentials)
            where = f"{method} {route} {credentials or 'anonymous'}"
            if answer.status_code != 401 or not answer.get("WWW-Authenticate", "").startswith("Bearer"):
                problems.append(f"{where}: {answer.status_code} {answer.get('WWW-Authenticate')!r}")
            elif error_of(answer)["code"] != code:
                problems.append(f"{where}: code {error_of(answer)['code']}")
            if response(document, operation, answer.status_code) is None:
                problems.append(f"{where}: answered an undocumented {answer.status_code}")
    assert not problems, "\n".join(problems)


def test_a_session_without_the_csrf_token_is_a_documented_403(db):
    document = schema()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    for method, route, operation in operations(document):
        if method == "GET":
            continue
        answer = call(client, method, route)
        assert answer.status_code == 403, (method, route, answer.content)
        assert error_of(answer)["code"] == "permission_denied"
        assert response(document, operation, 403) is not None, (method, route)


def test_a_manager_without_two_factor_gets_a_documented_json_403(settings, db):
    settings.MFA_REQUIRED_FOR_STAFF = True
    manager = UserFactory()
    ProgramFactory(managers=[manager])
    client = Client()
    client.force_login(manager)
    document = schema()
    for method, route, operation in operations(document):
        answer = call(client, method, route)
        assert answer.status_code == 403, (method, route)
        assert error_of(answer)["code"] == "mfa_required"
        assert response(document, operation, 403) is not None, (method, route)


def test_an_unknown_id_is_a_documented_404_for_a_signed_in_person(client, db):
    document = schema()
    client.force_login(UserFactory(is_staff=True))
    for method, route, operation in operations(document):
        if "{public_id}" not in route:
            continue
        answer = call(client, method, route)
        assert answer.status_code == 404, (method, route, answer.content)
        assert error_of(answer)["code"] == "not_found", (method, route)
        assert response(document, operation, 404) is not None, (method, route)


def test_throttling_answers_a_documented_429_with_retry_after(client, db, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1/hour"})  # read at import
    cache.clear()
    client.force_login(UserFactory())
    try:
        assert client.get("/api/v1/me/").status_code == 200
        answer = client.get("/api/v1/me/")
    finally:
        cache.clear()
    assert answer.status_code == 429
    assert error_of(answer)["code"] == "throttled"
    assert int(answer["Retry-After"]) > 0
    document = schema()
    assert response(document, document["paths"]["/api/v1/me/"]["get"], 429) is not None


class NoSummary(APIView):
    @extend_schema(responses={200: None})
    def get(self, request: Any) -> Response:
        return Response({})


urlpatterns = [path("api/v1/undocumented/", NoSummary.as_view())]


def test_an_operation_without_a_summary_fails_the_schema_build(tmp_path, capsys):
    with pytest.raises(CommandError, match="warnings"):
        call_command(
            "spectacular",
            "--fail-on-warn",
            "--urlconf",
            __name__,
            "--file",
            str(tmp_path / "schema.yaml"),
        )
    assert "GET /api/v1/undocumented/ has no summary" in capsys.readouterr().err


def test_the_schema_is_served_as_json_with_the_error_components(client, db):
    served = client.get("/api/schema/", {"format": "json"})
    assert served.status_code == 200
    responses = json.loads(served.content)["components"]["responses"]
    assert {"NotAuthenticated", "Throttled"} <= set(responses)
