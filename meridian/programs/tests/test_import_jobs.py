"""Large imports run as a job: the confirm queues it, the page follows its progress,
a job delivered twice imports once, and a failed job says why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from matching_engine.demo import generate_people
from matching_engine.participants import write_participants_csv
from meridian.programs.import_jobs import staged_import_run
from meridian.programs.models import Enrollment, ImportStatus, StagedImport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = generate_people(30)


@pytest.fixture
def as_manager(client, manager, settings):
    settings.IMPORT_JOB_ROWS = 20  # 30 rows: a job
    client.force_login(manager)
    return client


def stage(client, cohort):
    file = SimpleUploadedFile("people.csv", write_participants_csv(PEOPLE).encode())
    return client.post(f"/cohorts/{cohort.public_id}/import/", {"file": file})["Location"]


def test_it_imports_a_large_file_in_a_job_and_the_page_follows_it(
    as_manager, cohort, django_capture_on_commit_callbacks
):
    url = stage(as_manager, cohort)
    digest = as_manager.get(url).context["report"].digest

    with django_capture_on_commit_callbacks(execute=False) as jobs:
        answer = as_manager.post(url, {"digest": digest})
    assert answer.status_code == 302
    assert answer["Location"] == url
    staged = StagedImport.objects.get()
    assert staged.status == ImportStatus.QUEUED
    assert len(jobs) == 1
    page = as_manager.get(url)
    assert "Waiting for a worker" in page.content.decode()
    assert f'hx-get="{url}progress/"' in page.content.decode()
    assert not Enrollment.objects.filter(cohort=cohort).exists()

    jobs[0]()  # the worker runs the job
    staged.refresh_from_db()
    assert staged.status == ImportStatus.DONE
    assert staged.outcome["new_enrollments"] == 30
    progress = as_manager.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert progress["HX-Redirect"].endswith(f"/people/?cohort={cohort.public_id}")
    assert Enrollment.objects.filter(cohort=cohort, status="approved").count() == 30


def test_it_imports_once_when_the_job_is_delivered_twice(
    as_manager, cohort, django_capture_on_commit_callbacks
):
    url = stage(as_manager, cohort)
    digest = as_manager.get(url).context["report"].digest
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(url, {"digest": digest})
    staged = StagedImport.objects.get()
    assert staged.status == ImportStatus.DONE
    staged_import_run(staged.pk)  # delivered again
    assert Enrollment.objects.filter(cohort=cohort).count() == 30
    assert as_manager.post(url, {"digest": digest}).status_code == 302  # to the people, nothing more
    assert Enrollment.objects.filter(cohort=cohort).count() == 30


def test_it_says_why_a_job_imported_nothing(as_manager, cohort, django_capture_on_commit_callbacks):
    url = stage(as_manager, cohort)
    digest = as_manager.get(url).context["report"].digest
    with django_capture_on_commit_callbacks(execute=False) as jobs:
        as_manager.post(url, {"digest": digest})
    UserFactory(email=PEOPLE[3].email)  # an account appears before the worker runs
    jobs[0]()

    staged = StagedImport.objects.get()
    assert staged.status == ImportStatus.FAILED
    page = as_manager.get(url).content.decode()
    assert "Nothing was imported" in page
    assert "Something changed since the preview" in page
    assert not Enrollment.objects.filter(cohort=cohort).exists()
    progress = as_manager.get(f"{url}progress/", headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"
