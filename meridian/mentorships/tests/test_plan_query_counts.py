"""The development plan's and the shared files' pages and endpoints cost the same number
of queries for 1 goal (and 2 shared items) as for 12 (and 24): pinned here."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meridian.mentorships import files, goals
from tests.factories import mentoring_pair, people

pytestmark = pytest.mark.django_db

# Each includes the session and the user; the rows come in one query per kind whatever
# their number (goals with their milestones prefetched, the history, the shared items).
GOALS_PAGE = 10
GOAL_PAGE = 7
FILES_PAGE = 7
API_GOALS = 8
API_GOAL = 6
API_FILES = 7


@pytest.mark.parametrize("count", [1, 12])
def test_it_pins_the_plan_and_the_files(
    client: Any, settings: Any, tmp_path: Any, django_assert_num_queries: Any, count: int
):
    settings.MEDIA_ROOT = str(tmp_path)
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    for n in range(count):
        data = goals.GoalInput(title=f"Goal {n}", milestones=["One", "Two"])
        goal = goals.goal_create(mentorship=mentorship, user=mentee, data=data)
        goals.goal_progress(goal=goal, user=mentor, progress=10, comment="Started")
        files.shared_link_add(mentorship=mentorship, user=mentee, url="https://example.org")
        upload = SimpleUploadedFile("notes.txt", b"Notes\n")
        files.shared_file_add(mentorship=mentorship, user=mentee, upload=upload)
    client.force_login(mentee)
    pages = [
        (f"/mentorships/{mentorship.public_id}/goals/", GOALS_PAGE),
        (f"/goals/{goal.public_id}/", GOAL_PAGE),
        (f"/mentorships/{mentorship.public_id}/files/", FILES_PAGE),
        (f"/api/v1/mentorships/{mentorship.public_id}/goals/", API_GOALS),
        (f"/api/v1/goals/{goal.public_id}/", API_GOAL),
        (f"/api/v1/mentorships/{mentorship.public_id}/files/", API_FILES),
    ]
    for url, queries in pages:
        client.get(url)  # the session's first read is not the page's
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
