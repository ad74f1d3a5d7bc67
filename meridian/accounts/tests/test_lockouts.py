"""Lock-outs nobody can aim at others (finding 5). The review: twelve failed sign-ins on
twelve made-up addresses locked a real user out for an hour, because django-axes keyed
on the client address alone, and behind the TLS proxy every user shares the proxy's.

Now a lock-out (axes, and allauth's failed-sign-in limit) is for one email from one
client address; the address is read behind ``TRUSTED_PROXY_COUNT`` proxies; counters
live where every worker sees them (axes: the database; allauth: the shared cache)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory

from meridian.accounts.clientip import client_ip
from meridian.accounts.tests.twofactor import person
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.1"  # the TLS proxy every request arrives through
ATTACKER, VICTIM = "198.51.100.66", "203.0.113.5"


@pytest.fixture
def shared_cache(settings: Any) -> None:
    """The production cache (the database), not the tests' per-process one."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "meridian_cache"}
    }
    call_command("createcachetable", verbosity=0)
    cache.clear()


@pytest.fixture
def behind_proxy(settings: Any, shared_cache: None) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def sign_in(client: Client, email: str, password: str, address: str, *, spoofed: str = "") -> bool:
    """A sign-in through allauth's form arriving via the proxy from ``address``."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return "_auth_user_id" in client.session


def test_failures_on_made_up_emails_and_on_the_victims_email_do_not_lock_the_victim_out(behind_proxy):
    victim = person()
    attacker = Client()
    for n in range(12):
        assert not sign_in(attacker, f"nobody{n}@example.org", "guess", ATTACKER)
    for _ in range(12):
        assert not sign_in(attacker, victim.email, "guess", ATTACKER)
    assert sign_in(Client(), victim.email, PASSWORD, VICTIM)


def test_the_attackers_own_address_and_email_get_locked(behind_proxy, settings):
    victim = person()
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        sign_in(attacker, victim.email, "guess", ATTACKER)
    # Even the right password from the attacker's address is refused now...
    assert not sign_in(Client(), victim.email, PASSWORD, ATTACKER)
    # ...and axes counted it against that address and email only.
    attempts = list(AccessAttempt.objects.values_list("ip_address", "username"))
    assert attempts == [(ATTACKER, victim.email)]


def test_axes_alone_locks_the_pair_not_the_address(behind_proxy, settings):
    """With allauth's own limit out of the way, django-axes reaches its limit."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}
    victim, other = person(), person()
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, victim.email, "guess", ATTACKER)
    attempt = AccessAttempt.objects.get(username=victim.email)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert not sign_in(Client(), victim.email, PASSWORD, ATTACKER)  # locked: that pair
    assert sign_in(Client(), other.email, PASSWORD, ATTACKER)  # the same address, another email
    assert sign_in(Client(), victim.email, PASSWORD, VICTIM)  # the same email, another address


def test_behind_one_proxy_two_clients_are_counted_apart(behind_proxy):
    victim = person()
    sign_in(Client(), victim.email, "guess", ATTACKER)
    sign_in(Client(), victim.email, "guess", VICTIM)
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {ATTACKER, VICTIM}  # not the proxy's


def test_a_spoofed_forwarded_prefix_is_not_trusted(behind_proxy, settings):
    """The client writes whatever it likes at the left of X-Forwarded-For; the proxy
    appends the address it saw. Only that last entry counts with one proxy."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False}
    victim = person()
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), victim.email, "guess", ATTACKER, spoofed=f"192.0.2.{n}")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [ATTACKER]
    # Spoofing the victim's address does not let the attacker in, nor lock the victim.
    assert not sign_in(Client(), victim.email, PASSWORD, ATTACKER, spoofed=VICTIM)
    assert sign_in(Client(), victim.email, PASSWORD, VICTIM)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "10.0.0.1"),  # no proxy configured: the header is the client's word
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.2", "192.0.2.1"),
        (2, "192.0.2.1", "10.0.0.1"),  # fewer entries than proxies: nothing trusted
        (1, "not-an-address", "10.0.0.1"),  # garbage: never a 500
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_it_reads_the_client_address_behind_the_configured_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_counters_are_shared_by_two_workers(behind_proxy):
    """Two clients (two workers' worth of requests) count together: allauth's limit of
    5 failures for one email from one address is reached across both, and its counter
    is a row of the database cache, not memory of one process."""
    victim = person()
    first, second = Client(), Client()
    for _ in range(3):
        sign_in(first, victim.email, "guess", ATTACKER)
        sign_in(second, victim.email, "guess", ATTACKER)
    response = second.post(
        "/accounts/login/",
        {"login": victim.email, "password": "guess"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    assert "Too many failed login attempts" in response.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM meridian_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(":login_failed:5/300.0/key:" in key for key in keys), keys
    assert AccessAttempt.objects.get().failures_since_start == 5  # axes saw the same five


def _production_setting(expression: str, **env: str) -> str:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CACHE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    code = f"import django; django.setup(); from django.conf import settings; print(repr(({expression})))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 60, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_counts_in_a_cache_every_worker_shares():
    expression = (
        "settings.CACHES['default']['BACKEND'], settings.AXES_HANDLER, settings.AXES_LOCKOUT_PARAMETERS"
    )
    assert _production_setting(expression) == (
        "('django.core.cache.backends.db.DatabaseCache', 'axes.handlers.database.AxesDatabaseHandler', "
        "[['username', 'ip_address']])"
    )
    redis = _production_setting("settings.CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis.endswith("RedisCache'")


def test_migrate_creates_the_cache_table(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "REDIS_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "meridian_cache" in tables
