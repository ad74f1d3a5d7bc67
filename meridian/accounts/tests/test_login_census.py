"""Every form that accepts a password, and the second factor each demands (finding 3).

The census walks every URL pattern of ``config.urls`` (ours, allauth's, the admin's,
the API's), builds a concrete address for each, and as an anonymous visitor tries it
with the right password and with a wrong one for an administrator whose authenticator
app is on: a URL "accepts a password" when the two answers differ. None may sign in
without the code. ``python -m pytest -s`` prints the table.
"""

from __future__ import annotations

import base64
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from meridian.accounts.tests.twofactor import person, totp_code, with_totp
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# The URLs (view names) that check a password for an anonymous visitor. A new one fails
# the census until someone has checked it demands the second factor and added it here.
PASSWORD_URLS = {"account_login"}
WRONG = "not the password at all"
SAMPLES = ("1", "x", str(uuid.UUID(int=1)), "2025-01-01", "x-y", "1-x", "auth")


class Probe(NamedTuple):
    url: str
    name: str
    accepts_password: bool
    signs_in: bool
    second_factor: bool


def _regex(pattern: Any) -> str:
    return str(pattern.pattern.regex.pattern).removeprefix("^").removesuffix("\\Z").removesuffix("$")


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    """(full regex, view name, callback) of every pattern, through every include."""
    for pattern in patterns:
        regex = prefix + _regex(pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, regex, inner)
        elif isinstance(pattern, URLPattern):
            yield regex, f"{namespace}{pattern.name or pattern.lookup_str}", pattern.callback


def concrete(regex: str, callback: Any) -> str | None:
    """An address that resolves to ``callback``: each parameter filled with a sample."""
    for template, params in normalize(regex):
        for sample in SAMPLES:
            path = "/" + template % dict.fromkeys(params, sample)
            try:
                if resolve(path).func == callback:
                    return path
            except Resolver404:
                continue
    return None


def _answer(response: Any, client: Client) -> tuple[int, str, bool]:
    location = response.headers.get("Location", "").split("?")[0]
    return response.status_code, location, "_auth_user_id" in client.session


def probe(path: str, name: str, email: str) -> Probe:
    outcomes = []
    for password in (PASSWORD, WRONG):
        fields = {"login": email, "email": email, "username": email, "password": password}
        fields |= {"password1": password, "password2": password, "oldpassword": password}
        form, basic = Client(), Client()
        posted = form.post(path, fields)
        token = base64.b64encode(f"{email}:{password}".encode()).decode()
        got = basic.get(path, HTTP_AUTHORIZATION=f"Basic {token}")
        outcomes.append((_answer(posted, form), _answer(got, basic)))
    right, wrong = outcomes
    signs_in = any(answer[2] for answer in right)
    mfa = reverse("mfa_authenticate")
    second_factor = not signs_in and any(answer[1] == mfa for answer in right)
    return Probe(path, name, right != wrong, signs_in, second_factor)


@pytest.fixture
def quiet() -> Iterator[None]:
    """Hundreds of refusals are the point here: keep them out of the printed table."""
    loggers = [logging.getLogger(name) for name in ("django.request", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def admin_with_totp(settings: Any) -> Any:
    settings.AXES_FAILURE_LIMIT = 1000  # the census fails a password on purpose, many times
    cache.clear()
    user = person(is_staff=True, is_superuser=True)
    user.totp_secret = with_totp(user)
    return user


def census(email: str) -> tuple[list[Probe], list[str]]:
    probes, unbuilt = [], []
    for regex, name, callback in walk(get_resolver().url_patterns):
        path = concrete(regex, callback)
        if path is None:
            unbuilt.append(f"{name} ({regex})")
            continue
        probes.append(probe(path, name, email))
    return probes, unbuilt


def test_no_url_signs_in_with_a_password_and_no_second_factor(admin_with_totp, quiet, capsys):
    probes, unbuilt = census(admin_with_totp.email)
    width = max(len(p.url) for p in probes)
    lines = [f"{'URL':<{width}}  accepts password?  second factor demanded", "-" * (width + 42)]
    for p in sorted(probes, key=lambda p: (not p.accepts_password, p.url)):
        demanded = "yes (TOTP/security key)" if p.second_factor else ("NO: SIGNS IN" if p.signs_in else "-")
        lines.append(f"{p.url:<{width}}  {'yes' if p.accepts_password else 'no':<17}  {demanded}")
    lines.append(
        f"{len(probes)} URL patterns probed; {sum(p.accepts_password for p in probes)} accept a password"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert len(probes) > 100, "the walk missed most of config.urls"
    assert not unbuilt, f"no address could be built for: {unbuilt}"
    signed_in = [p.url for p in probes if p.signs_in]
    assert not signed_in, f"signed in with a password alone at {signed_in}"
    accepting = {p.name for p in probes if p.accepts_password}
    assert accepting == PASSWORD_URLS, (
        f"URLs accepting a password changed: {sorted(accepting)} (pinned: {sorted(PASSWORD_URLS)}); "
        "check each demands the second factor, then update PASSWORD_URLS"
    )
    assert all(p.second_factor for p in probes if p.accepts_password)


def test_the_django_admin_login_does_not_sign_in_without_the_code(admin_with_totp, client):
    response = client.post(
        "/django-admin/login/?next=/django-admin/", {"username": admin_with_totp.email, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fdjango-admin%2F"
    assert client.get("/django-admin/").status_code == 302  # still signed out


def test_an_anonymous_visitor_of_the_admin_is_sent_to_the_one_sign_in(client):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fdjango-admin%2F"
    assert response.status_code == 200
    assert response.templates[0].name == "account/login.html"


def test_the_admin_opens_after_the_password_and_the_code(admin_with_totp, client):
    response = client.post(
        "/accounts/login/?next=/django-admin/", {"login": admin_with_totp.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/django-admin/").status_code == 302  # not yet
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(admin_with_totp.totp_secret)})
    assert response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_a_signed_in_person_who_is_not_staff_gets_403_from_the_admin_login(client):
    client.force_login(person())
    assert client.get("/django-admin/login/").status_code == 403


def test_a_password_reset_link_does_not_skip_the_second_factor(
    admin_with_totp, client, django_capture_on_commit_callbacks
):
    """ACCOUNT_LOGIN_ON_PASSWORD_RESET signs in after a reset: only through the code."""
    with django_capture_on_commit_callbacks(execute=True):  # mail may leave after commit
        client.post(reverse("account_reset_password"), {"email": admin_with_totp.email})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    path = link.group(0).split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    new = "a brand new long passphrase 42"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("mfa_authenticate")
    admin_with_totp.refresh_from_db()
    assert admin_with_totp.check_password(new)
