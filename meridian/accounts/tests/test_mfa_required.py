"""Two-factor a program can rely on (finding 4): with MFA_REQUIRED_FOR_STAFF on,
administrators and program managers without an authenticator app or a security key are
sent to set one up before anything else; participants are not. Security keys and
passkeys (WebAuthn) sit beside the app and recovery codes, in our look, with allauth's
scripts served from our static files and no inline script."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from meridian.accounts.tests.test_login_census import concrete, walk
from meridian.accounts.tests.twofactor import person, totp_code, with_totp
from tests.factories import PASSWORD, ProgramFactory

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/"
# Besides the two-factor pages: sign-in, sign-out, re-authentication, the health check.
OPEN = {"account_login", "account_logout", "account_reauthenticate", "healthz"}
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


@pytest.fixture(autouse=True)
def required(settings: Any) -> None:
    settings.MFA_REQUIRED_FOR_STAFF = True


@pytest.fixture
def manager() -> Any:
    user = person()
    ProgramFactory(managers=[user])
    return user


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manager_without_two_factor_is_sent_to_set_it_up_from_every_page(manager):
    from django.urls import get_resolver

    client = signed_in(manager)
    refused, open_pages = [], []
    for regex, name, callback in walk(get_resolver().url_patterns):
        path = concrete(regex, callback)
        assert path, name
        response = client.get(path)
        if name.startswith("mfa_") or name in OPEN:
            open_pages.append(path)
            assert response.get("Location", "").split("?")[0] != SETUP, path
        elif path.startswith("/api/"):
            assert response.status_code == 403, path
            assert response.json()["error"]["code"] == "mfa_required", path
            refused.append(path)
        else:
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"] == SETUP, path
            refused.append(path)
    assert len(refused) > 50
    assert open_pages


def test_the_message_says_why(manager):
    response = signed_in(manager).get("/", follow=True)
    assert response.redirect_chain == [(SETUP, 302)]
    assert "two-factor authentication" in response.content.decode()
    assert "Set up an authenticator app" in response.content.decode()


def test_an_htmx_request_is_sent_there_too(manager):
    response = signed_in(manager).get("/programs/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SETUP


def test_an_administrator_without_two_factor_is_sent_too():
    admin = person(is_staff=True, is_superuser=True)
    assert signed_in(admin).get("/django-admin/")["Location"] == SETUP


def test_a_mentee_is_not_asked(settings):
    mentee = person()
    assert signed_in(mentee).get("/").status_code == 200
    assert signed_in(mentee).get("/api/v1/programs/").status_code == 200


def test_a_manager_with_two_factor_goes_anywhere(manager):
    with_totp(manager)
    assert signed_in(manager).get("/").status_code == 200
    assert signed_in(manager).get("/api/v1/programs/").status_code == 200


def test_with_the_setting_off_nobody_is_asked(manager, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    assert signed_in(manager).get("/").status_code == 200


def test_a_manager_signs_in_sets_up_the_app_with_a_real_code_and_carries_on(manager):
    client = Client()
    response = client.post("/accounts/login/", {"login": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/")["Location"] == SETUP
    page = client.get(reverse("mfa_activate_totp"))
    if page.status_code == 302:  # allauth asks for the password again before a change
        assert page["Location"].startswith(reverse("account_reauthenticate"))
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert client.get("/").status_code == 200
    assert manager.authenticator_set.filter(type="totp").exists()


def _scripts(html: str) -> list[str]:
    return SCRIPT.findall(html)


@pytest.mark.parametrize("page", ["mfa_add_webauthn", "mfa_list_webauthn", "mfa_index"])
def test_the_security_key_pages_render_in_our_look_without_inline_script(manager, page, settings):
    client = signed_in(manager)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "core/meridian.css" in html
    for attributes in _scripts(html):
        # Executable scripts only from our static files; JSON data blocks are not run.
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    if page == "mfa_add_webauthn":
        for name in ("mfa/js/webauthn-json.js", "mfa/js/webauthn.js", "account/js/onload.js"):
            assert f"/static/{name}" in html
            assert finders.find(name), name  # served by us, no CDN


def test_the_sign_in_page_offers_a_passkey(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Use a passkey instead" in html
    assert 'id="mfa_login"' in html
    assert "/static/mfa/js/webauthn.js" in html


def test_the_code_page_offers_a_security_key(client):
    user = person()
    with_totp(user)
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Use a security key" in html
    assert 'id="webauthn_form"' in html
