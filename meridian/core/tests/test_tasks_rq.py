"""The RQ task backend (TASKS_BACKEND=rq) against a real redis-server: an email queued by our
code goes to Redis at commit, and an rq worker with django-tasks-rq's job class sends it to
the mail server (aiosmtpd)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django_rq
import pytest
from django.test import TestCase
from django_tasks import TaskResultStatus, task_backends
from django_tasks_rq.backend import Job, RQBackend

from meridian.core import outbox
from meridian.core.models import OutboundEmail
from meridian.core.tasks import send_email
from meridian.core.tests.test_outbox import _message
from tests.redis_server import rq_work_burst

ROOT = Path(__file__).resolve().parents[3]
Status = OutboundEmail.Status


@pytest.mark.django_db
def test_an_email_goes_through_redis_to_an_rq_worker_and_the_mail_server(rq_tasks, smtp_server):
    assert isinstance(task_backends["default"], RQBackend)
    with TestCase.captureOnCommitCallbacks(execute=True):
        row = outbox.queue(_message())
    queue = django_rq.get_queue("default", job_class=Job)
    [job_id] = queue.get_job_ids()  # waiting in Redis, not sent yet
    assert not smtp_server.messages()
    assert OutboundEmail.objects.get(pk=row.pk).status == Status.QUEUED

    assert rq_work_burst() == ([job_id], [])

    result = send_email.get_result(job_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, Status.SENT)
    assert result.args == [row.key]
    assert OutboundEmail.objects.get(pk=row.pk).status == Status.SENT
    [message] = smtp_server.messages()
    assert message["Subject"] == "Your meeting"
    assert queue.count == 0


def _settings_with(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="k" * 60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **variables,
    )
    code = (
        "import os, django; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; "
        "call_command('check', '--fail-level', 'WARNING', stdout=open(os.devnull, 'w')); "
        "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS, "
        "getattr(s, 'RQ_QUEUES', {}).get('default', {}).get('URL'))"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)


def test_settings_select_the_rq_backend_on_redis_url_and_refuse_it_without_one(tmp_path):
    url = "redis://127.0.0.1:6390/2"
    chosen = _settings_with(tmp_path, TASKS_BACKEND="rq", REDIS_URL=url)
    assert chosen.returncode == 0, chosen.stderr  # the backend's own checks pass
    assert chosen.stdout.split() == ["django_tasks_rq.RQBackend", "True", url]

    missing = _settings_with(tmp_path, TASKS_BACKEND="rq")
    assert missing.returncode != 0
    assert "REDIS_URL" in missing.stderr


def test_manage_py_worker_runs_the_worker_of_the_backend_set(tmp_path, redis_server):
    env = {k: v for k, v in os.environ.items() if k not in ("TASKS_BACKEND", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="k" * 60)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", TASKS_BACKEND="rq", REDIS_URL=redis_server
    )
    command = [sys.executable, "manage.py", "worker", "--batch"]
    rq = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert rq.returncode == 0, rq.stderr
    assert "Listening on default" in rq.stdout + rq.stderr  # rq's worker, on our queue

    env["TASKS_BACKEND"] = "immediate"
    immediate = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert immediate.returncode != 0
    assert "has no worker" in immediate.stderr
