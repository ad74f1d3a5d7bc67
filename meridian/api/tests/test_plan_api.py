"""The development plan and the shared files through the API: the same services, limits
and privacy as the pages (the managers get titles and status; files are the pair's), bad
input answered in the API's error shape with the field named, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from meridian.mentorships.models import Goal, SharedItem
from meridian.mentorships.tests import samples
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_the_pair_plans_and_the_manager_sees_titles_only(api: APIClient):
    manager = UserFactory()
    mentorship = mentoring_pair(program=ProgramFactory(managers=[manager]))
    mentor, mentee = people(mentorship)
    api.force_authenticate(mentee)
    base = f"/api/v1/mentorships/{mentorship.public_id}/goals/"

    created = api.post(
        base,
        {"title": "Lead a team", "description": "Private why", "milestones": ["Shadow", "Lead a sprint"]},
        format="json",
    )
    assert created.status_code == 201
    goal_id = created.json()["id"]
    assert [m["title"] for m in created.json()["milestones"]] == ["Shadow", "Lead a sprint"]

    api.force_authenticate(mentor)
    moved = api.patch(
        f"/api/v1/goals/{goal_id}/", {"progress": 40, "comment": "Shadowed twice"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["progress"] == 40
    assert moved.json()["updates"][0]["comment"] == "Shadowed twice"
    assert moved.json()["updates"][0]["author"] == mentor.name

    api.force_authenticate(manager)
    listed = api.get(base).json()
    assert listed == [{"id": goal_id, "title": "Lead a team", "status": "active"}]
    assert api.get(f"/api/v1/goals/{goal_id}/").status_code == 404
    assert (
        api.patch(f"/api/v1/goals/{goal_id}/", {"progress": 1, "comment": "x"}, format="json").status_code
        == 404
    )


def test_progress_without_comment_or_out_of_range_is_refused_with_the_field(api: APIClient):
    mentorship = mentoring_pair()
    api.force_authenticate(people(mentorship)[1])
    goal = api.post(
        f"/api/v1/mentorships/{mentorship.public_id}/goals/", {"title": "G"}, format="json"
    ).json()

    refused = api.patch(f"/api/v1/goals/{goal['id']}/", {"progress": 101, "comment": ""}, format="json")

    assert refused.status_code == 400
    assert {"progress", "comment"} <= set(refused.json()["error"]["fields"])
    assert Goal.objects.get().progress == 0


def test_files_upload_list_and_download_for_the_pair(api: APIClient):
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    api.force_authenticate(mentee)
    base = f"/api/v1/mentorships/{mentorship.public_id}/files/"

    shared = api.post(
        base, {"file": SimpleUploadedFile("cv.pdf", samples.pdf()), "note": "CV"}, format="multipart"
    )
    assert shared.status_code == 201
    assert shared.json()["content_type"] == "application/pdf"
    link = api.post(base, {"url": "https://example.org/a", "note": "Read"}, format="json")
    assert link.status_code == 201

    api.force_authenticate(mentor)
    assert [row["kind"] for row in api.get(base).json()] == ["link", "file"]
    download = api.get(f"/api/v1/files/{shared.json()['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.pdf()  # type: ignore[attr-defined]
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": SimpleUploadedFile("photo.png", samples.pdf())}, "file"),  # the name lies
        ({"file": SimpleUploadedFile("a.txt", b"a\x00b")}, "file"),  # a NUL byte: not text
        ({"url": "javascript:alert(1)"}, "url"),
        ({"note": "only a note"}, "url"),
    ],
)
def test_bad_shares_are_refused_with_the_field(api: APIClient, data: dict[str, Any], field: str):
    mentorship = mentoring_pair()
    api.force_authenticate(people(mentorship)[1])
    response = api.post(f"/api/v1/mentorships/{mentorship.public_id}/files/", data, format="multipart")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not SharedItem.objects.exists()


def test_a_100_mb_upload_is_refused_in_the_api_shape(api: APIClient):
    mentorship = mentoring_pair()
    api.force_authenticate(people(mentorship)[1])
    big = SimpleUploadedFile("big.txt", b"a" * (100 * 1024 * 1024))
    response = api.post(
        f"/api/v1/mentorships/{mentorship.public_id}/files/", {"file": big}, format="multipart"
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not SharedItem.objects.exists()


@HOSTILE
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "title": st.one_of(st.text(max_size=250), st.integers(), st.none()),
            "description": st.text(max_size=4100),
            "target_on": st.text(max_size=12),
            "milestones": st.one_of(st.lists(st.text(max_size=210), max_size=25), st.text(max_size=20)),
        },
    )
)
def test_any_goal_body_is_created_or_refused_in_words(api: APIClient, body: dict[str, Any]):
    mentorship = mentoring_pair()
    api.force_authenticate(people(mentorship)[1])
    response = api.post(f"/api/v1/mentorships/{mentorship.public_id}/goals/", body, format="json")

    assert response.status_code in (201, 400)
    if response.status_code == 400:
        assert response.json()["error"]["fields"]


@HOSTILE
@given(
    progress=st.one_of(st.integers(), st.text(max_size=5)),
    comment=st.text(max_size=600),
    status=st.text(max_size=10),
)
def test_any_progress_body_is_saved_or_refused_in_words(
    api: APIClient, progress: Any, comment: str, status: str
):
    mentorship = mentoring_pair()
    api.force_authenticate(people(mentorship)[1])
    goal = api.post(
        f"/api/v1/mentorships/{mentorship.public_id}/goals/", {"title": "G"}, format="json"
    ).json()
    body = {"progress": progress, "comment": comment, "status": status}
    response = api.patch(f"/api/v1/goals/{goal['id']}/", body, format="json")

    assert response.status_code in (200, 400)
    assert 0 <= Goal.objects.get(public_id=goal["id"]).progress <= 100


def test_the_schema_documents_the_plan_and_files(client: Any):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/mentorships/{public_id}/goals/"])
    assert {"get", "patch"} <= set(paths["/api/v1/goals/{public_id}/"])
    assert (
        "multipart/form-data"
        in paths["/api/v1/mentorships/{public_id}/files/"]["post"]["requestBody"]["content"]
    )
    assert "get" in paths["/api/v1/files/{public_id}/"]
