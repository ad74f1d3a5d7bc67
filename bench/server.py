"""The production server (``make serve``: gunicorn, 2 workers) on loopback, on the demo data.

    .venv/bin/python -m bench.server [--requests N] [--seconds S] [--threads T]

Seeds the demo organisation into a temporary SQLite file, starts ``config.serve`` with
``WEB_CONCURRENCY=2`` on a free port, signs in as the demo mentee through the sign-in
form, then for ``/healthz``, the mentee's home page and their mentorship's page sends
requests from T client threads (one connection a request, as gunicorn's sync workers
close each) until N requests or S seconds, and prints requests per second, p50 and p99.
Standard library only; bounded (a few minutes with the seeding); not run by CI.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.timing import print_table

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(tmp: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS=HOST,
        PORT=str(port),
        WEB_CONCURRENCY="2",
        MFA_REQUIRED_FOR_STAFF="0",
        LOG_LEVEL="ERROR",
    )
    return env


def seed(env: dict[str, str]) -> tuple[str, str]:
    """Migrate and seed the demo; the demo mentee's email and password."""
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [*manage, "seed_demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    email = re.search(r"mentee\W+(\S+@\S+)", out)
    password = re.search(r"\(password: ([^)]+)\)", out)
    if not (email and password):
        sys.exit(f"no mentee login in seed_demo's output:\n{out}")
    return email[1], password[1]


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("the server stopped before answering /healthz")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("no /healthz in time")


def sign_in(base: str, email: str, password: str) -> tuple[str, str]:
    """Sign in through the form; the Cookie header and the mentorship page's path."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token[1], "login": email, "password": password})
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request, timeout=30) as response:
        assert "/accounts/login/" not in response.url, f"sign-in failed for {email}"
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    listing = opener.open(f"{base}/mentorships/", timeout=30).read().decode()
    link = re.search(r'href="(/mentorships/[^/"]+/)"', listing)
    assert link, "the demo mentee has no mentorship"
    return cookie, link[1]


def load(port: int, path: str, cookie: str, *, requests: int, seconds: float, threads: int) -> list[object]:
    """Requests per second, p50 and p99 (ms) and failures of GET path under load."""
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    sent = 0

    def get() -> tuple[int, float]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        finally:
            connection.close()

    for _ in range(10):  # warm up both workers
        get()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal sent, failures
        while True:
            with lock:
                if sent >= requests or time.monotonic() >= deadline:
                    return
                sent += 1
            status, elapsed = get()
            with lock:
                latencies.append(elapsed)
                failures += status != 200

    started = time.perf_counter()
    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return [
        len(latencies),
        f"{len(latencies) / wall:.0f}",
        f"{cuts[49] * 1000:.1f}",
        f"{cuts[98] * 1000:.1f}",
        failures,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="meridian-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        port = free_port()
        env = server_env(tmp, port)
        started = time.perf_counter()
        mentee, password = seed(env)
        print(f"seeded the demo in {time.perf_counter() - started:.0f} s; mentee {mentee}")
        log = (tmp / "serve.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "config.serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(port, server)
            cookie, mentorship = sign_in(f"http://{HOST}:{port}", mentee, password)
            bounds = {"requests": args.requests, "seconds": args.seconds, "threads": args.threads}
            rows = [
                ["/healthz", *load(port, "/healthz", "", **bounds)],
                ["home (mentee)", *load(port, "/", cookie, **bounds)],
                ["mentorship page", *load(port, mentorship, cookie, **bounds)],
            ]
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)
            log.close()
    print_table(
        f"gunicorn, 2 workers, loopback, SQLite demo; {args.threads} client threads, "
        f"at most {args.requests} requests or {args.seconds:g} s each; CPUs: {os.cpu_count()}",
        ["page", "requests", "req/s", "p50 ms", "p99 ms", "non-200"],
        rows,
    )


if __name__ == "__main__":
    main()
