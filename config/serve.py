"""``make serve``: Meridian in production, in one command.

    SECRET_KEY=... DATABASE_URL=... .venv/bin/python -m config.serve

Applies the migrations, collects the static files (hashed and compressed, served by
WhiteNoise), then runs the web server (gunicorn, ``WEB_CONCURRENCY`` workers, on
``HOST``:``PORT``, 127.0.0.1:8000 by default) and the task worker (``manage.py
db_worker``) side by side. When either stops, or on Ctrl-C / SIGTERM, both are
stopped (SIGTERM, then SIGKILL after ``STOP_TIMEOUT`` seconds) and the exit status
tells which failed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def web_command() -> list[str]:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
    ]


def worker_command() -> list[str]:
    return [*MANAGE, "db_worker"]


class Stop(Exception):
    """A signal asked us to stop."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def stop(processes: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM each live process, then SIGKILL those still running after timeout."""
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes.values():
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare() -> None:
    subprocess.run([*MANAGE, "migrate", "--no-input"], check=True, cwd=ROOT)
    subprocess.run([*MANAGE, "collectstatic", "--no-input", "--verbosity", "0"], check=True, cwd=ROOT)


def run() -> int:
    timeout = float(os.environ.get("STOP_TIMEOUT", "15"))
    signal.signal(signal.SIGTERM, _raise_stop)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        prepare()
        # Children ignore the terminal's Ctrl-C (their own process group): we stop them.
        processes["web"] = subprocess.Popen(web_command(), cwd=ROOT, start_new_session=True)
        processes["worker"] = subprocess.Popen(worker_command(), cwd=ROOT, start_new_session=True)
        for name, process in processes.items():
            print(f"serve: {name} pid {process.pid}", flush=True)
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"serve: {name} exited with {process.returncode}; stopping", flush=True)
                    stop(processes, timeout)
                    return process.returncode or 1
            time.sleep(0.2)
    except (KeyboardInterrupt, Stop):
        print("serve: stopping", flush=True)
        stop(processes, timeout)
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode or 1


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
