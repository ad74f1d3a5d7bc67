from __future__ import annotations

import pytest
from django.core.management import call_command

PATHS = {
    "/api/v1/me/",
    "/api/v1/programs/",
    "/api/v1/programs/{public_id}/",
    "/api/v1/cohorts/",
    "/api/v1/cohorts/{public_id}/",
    "/api/v1/enrollments/",
    "/api/v1/enrollments/{public_id}/",
    "/api/v1/mentorships/",
    "/api/v1/mentorships/{public_id}/",
    "/api/v1/match-runs/",
    "/api/v1/match-runs/{public_id}/",
    "/api/v1/match-runs/{public_id}/pairs/",
    "/api/v1/match-runs/{public_id}/publish/",
}


@pytest.mark.django_db
def test_it_serves_an_openapi_schema_with_every_v1_path(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= PATHS
    filters = {p["name"] for p in schema["paths"]["/api/v1/enrollments/"]["get"]["parameters"]}
    assert {"cohort", "program", "role", "status", "q", "page", "page_size"} <= filters
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert person["email"]["nullable"] is True


def test_it_generates_the_schema_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
