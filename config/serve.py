"""``make serve``: Meridian in production, in one command; ``make demo``: the same with
Django's development server.

    SECRET_KEY=... DATABASE_URL=... .venv/bin/python -m config.serve
    DEBUG=1 .venv/bin/python -m config.serve --dev

Applies the migrations, collects the static files (hashed and compressed, served by
WhiteNoise), then runs the web server (gunicorn, ``WEB_CONCURRENCY`` workers, on
``HOST``:``PORT``, 127.0.0.1:8000 by default), the task worker (``manage.py worker``:
``db_worker``, or ``rqworker`` when ``TASKS_BACKEND=rq``) and the scheduler (``manage.py
scheduler``: the periodic sweeps' tick, every minute) side by side. ``--dev`` loads the
demo data into an empty database instead of collecting static files, and runs
``runserver``. When any of them stops, or on Ctrl-C / SIGTERM, all are stopped (SIGTERM to
each one's process group, then SIGKILL after ``STOP_TIMEOUT`` seconds) and the exit
status tells which failed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def web_command(dev: bool = False) -> list[str]:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    if dev:
        return [*MANAGE, "runserver", f"{host}:{port}"]
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
    return [*MANAGE, "worker"]


def scheduler_command() -> list[str]:
    return [*MANAGE, "scheduler"]


class Stop(Exception):
    """A signal asked us to stop."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process and its children (runserver's and db_worker's reloaders start one)."""
    with contextlib.suppress(ProcessLookupError):  # the whole group has gone already
        os.killpg(process.pid, signum)  # each child leads its own session, so its own group


def stop(processes: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM each process group, then SIGKILL those still running after timeout."""
    for process in processes.values():
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes.values():
        try:
            process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def prepare(dev: bool = False) -> None:
    subprocess.run([*MANAGE, "migrate", "--no-input"], check=True, cwd=ROOT)
    if dev:  # runserver serves the static files itself; the demo prints its logins
        subprocess.run([*MANAGE, "seed_demo", "--if-empty"], check=True, cwd=ROOT)
    else:
        subprocess.run([*MANAGE, "collectstatic", "--no-input", "--verbosity", "0"], check=True, cwd=ROOT)


def commands(dev: bool = False) -> dict[str, list[str]]:
    return {"web": web_command(dev), "worker": worker_command(), "scheduler": scheduler_command()}


def run(dev: bool = False) -> int:
    timeout = float(os.environ.get("STOP_TIMEOUT", "15"))
    signal.signal(signal.SIGTERM, _raise_stop)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        prepare(dev)
        # Children ignore the terminal's Ctrl-C (their own process group): we stop them.
        for name, command in commands(dev).items():
            processes[name] = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
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
    sys.exit(run(dev="--dev" in sys.argv[1:]))


if __name__ == "__main__":
    main()
