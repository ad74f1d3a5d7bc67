"""Finding 6: every kind of answer carries a strict Content Security Policy and a
Permissions-Policy, and no page's markup needs an inline script, style or event handler.
(tests/e2e checks the same pages in a real browser under the policy.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
NONCE = re.compile(r"^'nonce-[A-Za-z0-9+/]{22}==?'$")
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} twice in {header}"
        parsed[name] = values
    return parsed


def assert_strict(response: Any) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    policy = directives(header)
    nonces = [v for v in policy.get("script-src", []) if v.startswith("'nonce-")]
    assert all(NONCE.match(n) for n in nonces), nonces
    policy["script-src"] = [v for v in policy.get("script-src", []) if v not in nonces]
    assert policy == STRICT
    assert "unsafe" not in header
    permissions = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert permissions["camera"] == permissions["microphone"] == "(self)"
    for feature in ("display-capture", "geolocation", "payment", "usb", "browsing-topics"):
        assert permissions[feature] == "()", feature


class InlineFinder(HTMLParser):
    """What a strict policy would block in a page's markup."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.found.append("<script> without src")
        self.found += [f"{tag} {name}=" for name in names if name == "style" or EVENT_HANDLER.match(name)]
        self.found += [f"{tag} {name}" for name, value in attrs if (value or "").startswith("javascript:")]
        self.found += [f"{tag} {name}" for name in names if name.startswith("hx-on")]


def assert_no_inline_code(response: Any) -> None:
    finder = InlineFinder()
    finder.feed(response.content.decode())
    assert finder.found == [], response.request["PATH_INFO"]


def assert_strict_page(response: Any, status: int = 200) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert_strict(response)
    assert_no_inline_code(response)


@pytest.fixture
def manager(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def program(manager):
    program = ProgramFactory(managers=[manager])
    EnrollmentFactory(cohort=CohortFactory(program=program))
    return program


@pytest.fixture
def admin_client(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False  # the admin pages themselves, not the MFA gate
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_normal_page_is_strict(client, program):
    assert_strict_page(client.get(f"/programs/{program.public_id}/"))


def test_the_home_page_is_strict(client, program):
    assert_strict_page(client.get("/"))


def test_an_htmx_fragment_is_strict(client, program):
    response = client.get(f"/programs/{program.public_id}/people/?q=a", headers={"HX-Request": "true"})
    assert_strict_page(response)
    assert b"<html" not in response.content  # the fragment alone


def test_a_json_answer_is_strict(client, program):
    response = client.get("/api/v1/programs/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert_strict(response)


def test_a_download_is_strict(client, program):
    response = client.get(f"/programs/{program.public_id}/people.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_strict(response)


def test_the_health_check_is_strict(client):
    assert_strict(client.get("/healthz"))


def test_the_sign_in_page_is_strict():
    assert_strict_page(Client().get("/accounts/login/"))


def test_the_admin_sign_in_is_strict():
    response = Client().get("/django-admin/login/")
    assert response.status_code in (200, 302)  # allauth's sign-in may stand in for it
    assert_strict(response)
    if response.status_code == 200:
        assert_no_inline_code(response)


def test_the_admin_pages_are_strict(admin_client, program):
    assert_strict_page(admin_client.get("/django-admin/"))
    assert_strict_page(admin_client.get("/django-admin/programs/program/"))
    assert_strict_page(admin_client.get(f"/django-admin/programs/program/{program.pk}/change/"))


def test_a_csrf_failure_page_is_strict(client):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.org"})
    assert_strict_page(response, 403)
    assert b"reload" in response.content


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("crash/", crash),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/refuse/", 403, b"Not allowed"),
        ("/missing/", 404, b"Not found"),
        ("/no/such/page/", 404, b"Not found"),
        ("/crash/", 500, b"Something went wrong"),
    ],
)
def test_the_error_pages_are_strict(client, manager, settings, url, status, words):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get(url)
    assert_strict_page(response, status)
    assert words in response.content


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (0.42, 1, 42),
        (42, 100, 42),
        (1.7, 1, 100),
        (-3, 1, 0),
        ("x", 1, 0),
        (None, 1, 0),
        (5, 0, 0),
        (float("nan"), 1, 0),
        (float("inf"), 1, 100),
        (0.005, 1, 0),
        (99.6, 100, 100),
    ],
)
def test_bars_are_sized_by_a_class_from_0_to_100(value, scale, expected):
    from meridian.core.templatetags.meridian import pct

    assert pct(value, scale) == expected
