"""The daily clean-up prunes old job results and used links, and nothing newer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meridian.engagement import housekeeping
from meridian.engagement.models import UsedLink

pytestmark = pytest.mark.django_db


def _result(status: str, finished: dt.datetime) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.create(
        status=status,
        task_path="meridian.core.tasks.send_email",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        finished_at=finished,
    )


def test_it_prunes_old_results_and_used_links_only(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    now = timezone.now()
    old_ok = _result(TaskResultStatus.SUCCESSFUL, now - dt.timedelta(days=3))
    new_ok = _result(TaskResultStatus.SUCCESSFUL, now - dt.timedelta(hours=3))
    recent_failure = _result(TaskResultStatus.FAILED, now - dt.timedelta(days=3))
    UsedLink.objects.create(nonce="old", action="pulse")
    UsedLink.objects.filter(nonce="old").update(used_at=now - dt.timedelta(days=91))
    UsedLink.objects.create(nonce="new", action="pulse")

    summary = housekeeping.run(now)

    assert summary == "1 job results and 1 used links pruned"
    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert left == {new_ok.id, recent_failure.id}
    assert old_ok.id not in left
    assert list(UsedLink.objects.values_list("nonce", flat=True)) == ["new"]
