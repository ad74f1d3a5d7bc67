"""The test harness every app reuses: SQLite or a real PostgreSQL started from
Debian's binaries (``--db``), a real SMTP server (aiosmtpd), and Playwright on the
system Chromium. In CI a skipped test fails the run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest_plugins = ["tests.fixtures", "tests.redis_server"]  # clock, pair; a real Redis

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default=os.environ.get("TEST_DB", "sqlite"),
        help="database the suite runs against (PostgreSQL is started from Debian's binaries)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('--db')}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failure: every part must really run there."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if reporter and os.environ.get("CI") and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {skipped} test(s) skipped; skips count as failures here.", red=True)
        session.exitstatus = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[SimpleNamespace]:
    """A throw-away PostgreSQL server (as root, it runs as the postgres user)."""
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN}: apt-get install postgresql")
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="pgtest-"))
    if run_as:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", free_port()
    subprocess.run(
        [
            *run_as,
            PG_BIN / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    opts = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        [*run_as, PG_BIN / "pg_ctl", "-D", data, "-l", base / "log", "-w", "-o", opts, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield SimpleNamespace(host="127.0.0.1", port=port, user="postgres")
    finally:
        subprocess.run([*run_as, PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest, django_db_modify_db_settings_parallel_suffix: None
) -> None:
    if request.config.getoption("--db") != "postgres":
        return
    from django.conf import settings
    from django.db import connections

    pg = request.getfixturevalue("pg_server")
    settings.DATABASES["default"].update(
        ENGINE="django.db.backends.postgresql",
        NAME="meridian",
        USER=pg.user,
        PASSWORD="",
        HOST=pg.host,
        PORT=str(pg.port),
        OPTIONS={},
        CONN_MAX_AGE=0,
    )
    connections.close_all()
    del connections["default"]


class SmtpCollector:
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[Any]:
        from email import message_from_bytes
        from email.policy import default

        return [message_from_bytes(e.content, policy=default) for e in self.envelopes]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpCollector]:
    """A real SMTP server on loopback; Django sends to it over SMTP."""
    from aiosmtpd.controller import Controller

    handler, port = SmtpCollector(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


class SwitchableSmtp:
    """An SMTP port with nothing listening (a dead mail server) until ``up()``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = SmtpCollector()
        self._controller: Any = None

    def up(self) -> SmtpCollector:
        from aiosmtpd.controller import Controller

        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()
        return self.handler

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_down(settings: Any) -> Iterator[SwitchableSmtp]:
    """Django sends over SMTP to a free port where nothing listens; ``up()`` starts a
    real server there (the mail is back)."""
    server = SwitchableSmtp(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    try:
        yield server
    finally:
        server.down()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright on Debian's Chromium: never download a browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
