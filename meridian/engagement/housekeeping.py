"""The daily clean-up: finished jobs' results and used one-click links that no longer matter.

The database queue keeps a row per job (a scheduler tick every minute is 1,440 a day); a
used link's nonce matters only while the link's signature is still valid."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from meridian.engagement.models import UsedLink

KEEP_SUCCESSFUL = dt.timedelta(days=2)  # long enough to read what ran over a weekend
KEEP_FAILED = dt.timedelta(days=30)  # long enough to look into
KEEP_USED_LINKS = dt.timedelta(days=90)  # longer than any link lives (links.DAYS, 14 by default)


def run(now: dt.datetime) -> str:
    """Prune; returns what went."""
    results = 0
    aliases = [name for name in task_backends if isinstance(task_backends[name], DatabaseBackend)]
    if aliases:
        old = Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - KEEP_SUCCESSFUL) | Q(
            status=TaskResultStatus.FAILED, finished_at__lte=now - KEEP_FAILED
        )
        results, _ = DBTaskResult.objects.finished().filter(old, backend_name__in=aliases).delete()
    links, _ = UsedLink.objects.filter(used_at__lte=now - KEEP_USED_LINKS).delete()
    return f"{results} job results and {links} used links pruned"
