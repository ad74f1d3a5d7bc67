"""A real Redis for the RQ task backend (loaded by the root conftest.py):

- ``redis_server``: one throw-away ``redis-server`` from Debian for the session, on a free
  loopback port, nothing written to disk; its URL.
- ``rq_tasks``: the task backend switched to ``django_tasks_rq.RQBackend`` on that server,
  emptied first, for one test.

A missing ``redis-server`` fails the test with the package to install (never a skip: CI
counts skips as failures, and the RQ backend must really be tested there).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    if not Path(REDIS_SERVER).exists():
        pytest.fail(f"{REDIS_SERVER} not found: apt-get install redis-server")
    import redis

    base, port = Path(tempfile.mkdtemp(prefix="redistest-")), _free_port()
    command = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(base)]
    command += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if redis.Redis.from_url(url).ping():
                    break
            except redis.ConnectionError:
                pass
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"redis-server exited with {process.returncode}: {output}")
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not answer in time")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def rq_tasks(redis_server: str, settings: Any) -> str:
    """The RQ task backend on the session's Redis, empty; returns the Redis URL."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    settings.RQ_QUEUES = {"default": {"URL": redis_server, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_server


def rq_work_burst() -> tuple[list[str], list[str]]:
    """Run the jobs waiting on the RQ queue, and those they enqueue, then return: rq's
    worker with django-tasks-rq's job class, as ``manage.py rqworker --burst --job-class
    django_tasks_rq.Job`` runs them, but in this process (``SimpleWorker``: no fork), so the
    jobs see the test's database and the test sees what they did. Returns the ids of the
    queue's finished jobs and of its failed ones."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry
    from rq.worker import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.work(burst=True, logging_level="WARNING")
    finally:  # the worker took Ctrl-C and SIGTERM for itself: give them back to pytest
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    finished = FinishedJobRegistry(queue=queue).get_job_ids()
    return finished, FailedJobRegistry(queue=queue).get_job_ids()
