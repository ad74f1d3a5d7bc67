"""Who reaches the development plan and the shared files, page by page, endpoint by
endpoint, download by download: the member, the partner, another pair's member guessing
the ids, a manager of the program, a manager of another program, a participant removed
from the mentorship, an administrator, and an anonymous visitor.

Goal titles and status are activity (the program's team sees them); descriptions,
milestones, comments, notes and files are the pair's alone."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meridian.mentorships import files, goals
from meridian.mentorships.models import Member, SampleGoal
from meridian.mentorships.tests import samples
from tests.factories import EnrollmentFactory, ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db

ROLES = ("member", "partner", "other_pair", "manager", "other_manager", "removed", "admin", "anonymous")
PAIR = {"member", "partner"}
TEAM = PAIR | {"manager", "admin"}
LOGIN = "login"


class Case(NamedTuple):
    name: str
    method: str
    path: str  # formatted with the world
    allowed: set[str]
    ok: int
    data: Any = None
    api: bool = False


CASES = [
    Case("goals", "GET", "/mentorships/{w.m.public_id}/goals/", TEAM, 200),
    Case("goal_add", "POST", "/mentorships/{w.m.public_id}/goals/", PAIR, 302, {"title": "New goal"}),
    Case("goal_suggested", "POST", "/mentorships/{w.m.public_id}/goals/suggested/", PAIR, 302, "sample"),
    Case("goal", "GET", "/goals/{w.goal.public_id}/", PAIR, 200),
    Case("goal_edit", "POST", "/goals/{w.goal.public_id}/edit/", PAIR, 302, {"edit-title": "Renamed"}),
    Case(
        "goal_progress",
        "POST",
        "/goals/{w.goal.public_id}/progress/",
        PAIR,
        302,
        {"progress-progress": "10", "progress-status": "active", "progress-comment": "Moving"},
    ),
    Case(
        "milestone",
        "POST",
        "/goals/{w.goal.public_id}/milestones/",
        PAIR,
        302,
        "milestone",
    ),
    Case(
        "sample_goals", "GET", "/programs/{w.m.program.public_id}/suggested-goals/", {"manager", "admin"}, 200
    ),
    Case("files", "GET", "/mentorships/{w.m.public_id}/files/", PAIR, 200),
    Case(
        "link_add",
        "POST",
        "/mentorships/{w.m.public_id}/files/link/",
        PAIR,
        302,
        {"link-url": "https://a.org"},
    ),
    Case("file_upload", "POST", "/mentorships/{w.m.public_id}/files/upload/", PAIR, 302, "upload"),
    Case("file_download", "GET", "/files/{w.file.public_id}/", PAIR, 200),
    Case("file_delete", "POST", "/files/{w.link.public_id}/delete/", PAIR, 302),
    Case("api_goals", "GET", "/api/v1/mentorships/{w.m.public_id}/goals/", TEAM, 200, api=True),
    Case(
        "api_goal_add",
        "POST",
        "/api/v1/mentorships/{w.m.public_id}/goals/",
        PAIR,
        201,
        {"title": "G"},
        api=True,
    ),
    Case("api_goal", "GET", "/api/v1/goals/{w.goal.public_id}/", PAIR, 200, api=True),
    Case(
        "api_goal_progress",
        "PATCH",
        "/api/v1/goals/{w.goal.public_id}/",
        PAIR,
        200,
        {"progress": 20, "comment": "Going"},
        api=True,
    ),
    Case("api_files", "GET", "/api/v1/mentorships/{w.m.public_id}/files/", PAIR, 200, api=True),
    Case(
        "api_share", "POST", "/api/v1/mentorships/{w.m.public_id}/files/", PAIR, 201, "api_upload", api=True
    ),
    Case("api_download", "GET", "/api/v1/files/{w.file.public_id}/", PAIR, 200, api=True),
]


def build() -> SimpleNamespace:
    w = SimpleNamespace()
    w.manager, w.other_manager = UserFactory(), UserFactory()
    program = ProgramFactory(managers=[w.manager])
    ProgramFactory(managers=[w.other_manager])
    w.m = mentoring_pair(program=program)
    w.partner, w.member = people(w.m)
    w.other_pair = people(mentoring_pair())[1]
    w.admin = UserFactory(is_staff=True)
    w.removed = UserFactory()
    removed = EnrollmentFactory(cohort=w.m.cohort, user=w.removed, role="mentee")
    Member.objects.create(mentorship=w.m, enrollment=removed, user=w.removed, role="mentee", is_current=False)
    w.anonymous = None
    w.goal = goals.goal_create(
        mentorship=w.m, user=w.member, data=goals.GoalInput(title="Negotiate", milestones=["Prepare"])
    )
    w.milestone = w.goal.milestones.get()
    w.sample = SampleGoal.objects.create(program=program, title="Network")
    upload = SimpleUploadedFile("cv.pdf", samples.pdf())
    w.file = files.shared_file_add(mentorship=w.m, user=w.member, upload=upload, note="Private note")
    w.link = files.shared_link_add(mentorship=w.m, user=w.member, url="https://example.org")
    return w


def _data(case: Case, w: SimpleNamespace) -> Any:
    if case.data == "sample":
        return {"sample": w.sample.pk}
    if case.data == "milestone":
        return {"done": "1", "milestone": str(w.milestone.pk)}
    if case.data == "upload":
        return {"upload-file": SimpleUploadedFile("n.txt", b"hello\n")}
    if case.data == "api_upload":
        return {"file": SimpleUploadedFile("n.txt", b"hello\n"), "note": "n"}
    return case.data or {}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_only_who_may_reaches_it(client: Any, case: Case, role: str):
    w = build()
    user = getattr(w, role)
    if user is not None:
        client.force_login(user)
    path = case.path.format(w=w)
    data = _data(case, w)
    if case.method == "PATCH":
        response = client.patch(path, data, content_type="application/json")
    elif case.method == "POST":
        response = client.post(path, data, format="multipart") if case.api else client.post(path, data)
    else:
        response = client.get(path)

    where = f"{case.method} {path} as {role}"
    if role == "anonymous":
        expected = 401 if case.api else 302
        assert response.status_code == expected, where
        if not case.api:
            assert response["Location"].startswith("/accounts/login/"), where
    elif role in case.allowed:
        assert response.status_code == case.ok, f"{where}: {response.status_code}"
    else:
        assert response.status_code == 404, f"{where}: {response.status_code}"


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_team_sees_titles_and_status_never_the_content(client: Any, role: str):
    w = build()
    goals.goal_progress(goal=w.goal, user=w.member, progress=30, comment="Secret step")
    client.force_login(getattr(w, role))

    api = client.get(f"/api/v1/mentorships/{w.m.public_id}/goals/").json()
    page = client.get(f"/mentorships/{w.m.public_id}/goals/").content.decode()
    hub = client.get(f"/mentorships/{w.m.public_id}/").content.decode()

    assert api == [{"id": str(w.goal.public_id), "title": "Negotiate", "status": "active"}]
    for text in (page, hub):
        assert "Negotiate" in text
        assert "Secret step" not in text
        assert "Prepare" not in text
        assert "Private note" not in text
        assert "cv.pdf" not in text
    assert "1 file" in hub
