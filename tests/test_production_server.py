"""`make serve` for real: gunicorn, the task worker and the scheduler on loopback, static
files from WhiteNoise (hashed, gzip, cached for ten years), the periodic jobs run through
the queue, all stopped cleanly by Ctrl-C or when one of them dies; `make demo` runs the
same three with runserver."""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    static_root: Path
    pids: dict[str, int]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def start(tmp_path: Path) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        STOP_TIMEOUT="5",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "config.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    pids: dict[str, int] = {}
    deadline = time.monotonic() + START_TIMEOUT
    while len(pids) < 3:  # serve prints the three pids once all are started
        line = process.stdout.readline()
        assert line, f"serve exited with {process.wait()} before starting"
        if match := re.match(r"serve: (web|worker|scheduler) pid (\d+)", line):
            pids[match[1]] = int(match[2])
        assert time.monotonic() < deadline, "serve did not start in time"
    server = Server(process, port, tmp_path / "static", pids)
    while True:
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=5) as response:
                if response.read() == b"ok":
                    return server
        except OSError:  # not listening yet, or the workers still booting
            pass
        assert process.poll() is None, "serve exited before answering /healthz"
        assert time.monotonic() < deadline, "no /healthz in time"
        time.sleep(0.2)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start(tmp_path)
    yield running
    if running.process.poll() is None:
        running.process.kill()
    running.process.wait()
    for pid in running.pids.values():
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)


def assert_stops_within_bounds(server: Server) -> int:
    returncode = server.process.wait(STOP_TIMEOUT)
    assert not port_open(server.port), "the web server still listens"
    for name, pid in server.pids.items():
        assert not pid_alive(pid), f"{name} still runs"
    return returncode


def test_it_serves_pages_and_compressed_hashed_static_files_and_stops_on_ctrl_c(server: Server):
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["core/meridian.css"]
    assert re.fullmatch(r"core/meridian\.[0-9a-f]{12}\.css", hashed)

    with urllib.request.urlopen(server.url("/accounts/login/"), timeout=10) as response:
        assert response.status == 200
        page = response.read().decode()
    assert f"/static/{hashed}" in page  # the page links the hashed name

    request = urllib.request.Request(server.url(f"/static/{hashed}"), headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        body = gzip.decompress(response.read())
    assert body == (server.static_root / hashed).read_bytes()

    # The scheduler's first tick went through the database queue to the worker, which ran
    # the periodic jobs (the health sweep first: it has never run).
    finished: list[tuple[str, str]] = []
    deadline = time.monotonic() + START_TIMEOUT
    while not finished:
        assert time.monotonic() < deadline, "no periodic job ran in the worker in time"
        time.sleep(0.5)
        with sqlite3.connect(server.static_root.parent / "db.sqlite3") as db:
            query = "SELECT name, last_summary FROM engagement_periodicrun WHERE last_finished_at IS NOT NULL"
            finished = db.execute(query).fetchall()
    assert "health" in dict(finished)

    server.process.send_signal(signal.SIGINT)  # Ctrl-C
    assert assert_stops_within_bounds(server) == 0


def test_it_stops_the_web_server_and_the_scheduler_when_the_worker_dies():
    # The same supervisor with stand-ins: a "web server" and a "scheduler" that would run
    # for a minute and a "worker" that dies after a second (the real ones take ~20 s to
    # start, above).
    code = (
        "import sys, config.serve as serve; serve.prepare = lambda dev: None; "
        "serve.web_command = lambda dev: ['sleep', '60']; "
        "serve.scheduler_command = lambda: ['sleep', '60']; "
        "dies = 'import sys, time; time.sleep(1); sys.exit(3)'; "
        "serve.worker_command = lambda: [sys.executable, '-c', dies]; "
        "serve.main()"
    )
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=STOP_TIMEOUT
    )
    assert time.monotonic() - started < 10
    assert out.returncode != 0
    pids = dict(re.findall(r"serve: (web|worker|scheduler) pid (\d+)", out.stdout))
    assert not pid_alive(int(pids["web"])), "the web server outlived the worker"
    assert not pid_alive(int(pids["scheduler"])), "the scheduler outlived the worker"
    assert "worker exited with 3" in out.stdout


def test_the_demo_runs_the_development_server_beside_the_same_worker_and_scheduler():
    from config import serve

    demo, production = serve.commands(dev=True), serve.commands()
    assert list(demo) == list(production) == ["web", "worker", "scheduler"]
    assert demo["web"][-2:] == ["runserver", "127.0.0.1:8000"]
    assert "gunicorn" in production["web"]
    assert demo["worker"][-1] == production["worker"][-1] == "worker"
    assert demo["scheduler"][-1] == production["scheduler"][-1] == "scheduler"
