"""Personal API tokens (security finding 9): stored hashed, listed and revoked by their
owner alone, expiring, and dead after any password change or reset."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meridian.api.models import ApiToken
from meridian.api.tests.conftest import error_of
from meridian.api.tokens import token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
KEY = re.compile(r'id="token-key" value="(mrd_[A-Za-z0-9_-]+)"')
NEW_PASSWORD = "Quartz-harbour-92-lantern"


def made_on_the_page(client, user, name="Reporting script", days="90"):
    """A token made through the owner's page; its key read from the page, as a person would."""
    client.force_login(user)
    response = client.post(reverse("api_token_new"), {"name": name, "days": days})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = KEY.search(response.content.decode())
    assert match, response.content.decode()
    client.logout()
    return match.group(1)


def call(client, key, scheme="Token"):
    return client.get(ME, HTTP_AUTHORIZATION=f"{scheme} {key}")


def assert_refused(response):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "authentication_failed"


def test_it_signs_in_with_a_token_as_token_or_bearer(client):
    user = UserFactory()
    key = made_on_the_page(client, user)
    for scheme in ("Token", "Bearer", "bearer"):
        response = call(client, key, scheme)
        assert response.status_code == 200, scheme
        assert response.json()["email"] == user.email


def test_it_stores_no_key_only_its_hash(client):
    key = made_on_the_page(client, UserFactory())
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix)
    assert len(token.prefix) == 12
    secret = key[len(token.prefix) :]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert secret not in row
    assert key not in row
    dump = StringIO()
    call_command("dumpdata", stdout=dump)  # every table of the database
    assert secret not in dump.getvalue()
    assert token.prefix in dump.getvalue()  # the dump does hold the tokens: the check can fail


def test_it_shows_the_key_once_and_then_only_its_prefix(client):
    user = UserFactory()
    key = made_on_the_page(client, user, name="Nightly export")
    client.force_login(user)
    page = client.get(reverse("api_tokens")).content.decode()
    token = ApiToken.objects.get()
    assert "Nightly export" in page
    assert token.prefix in page
    assert key not in page
    assert key[len(token.prefix) :] not in page


@pytest.mark.parametrize(("days", "lives"), [("30", 30), ("90", 90), ("365", 365)])
def test_it_expires_a_token_after_the_chosen_days(client, days, lives):
    key = made_on_the_page(client, UserFactory(), days=days)
    with time_machine.travel(timezone.now() + dt.timedelta(days=lives, minutes=-1)):
        assert call(client, key).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=lives, minutes=1)):
        assert_refused(call(client, key))


@pytest.mark.parametrize("days", ["0", "36500", "", "forever", "-1"])
def test_it_has_no_token_that_never_expires(client, days):
    client.force_login(UserFactory())
    response = client.post(reverse("api_token_new"), {"name": "Forever", "days": days})
    assert response.status_code == 400
    assert response.context["form"].errors["days"]  # said next to the field
    assert not ApiToken.objects.exists()


def test_it_defaults_to_ninety_days():
    token, _key = token_create(user=UserFactory(), name="Default")
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)


def test_it_refuses_a_revoked_token(client):
    user = UserFactory()
    key = made_on_the_page(client, user)
    assert call(client, key).status_code == 200
    client.force_login(user)
    token = ApiToken.objects.get()
    response = client.post(reverse("api_token_revoke", args=[token.public_id]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    client.logout()
    assert_refused(call(client, key))


@pytest.mark.parametrize("key", ["not-a-real-key", "mrd_" + "x" * 43, "mrd_" + "x" * 500, "é"])
def test_it_refuses_a_wrong_token(client, key):
    assert_refused(client.get(ME, HTTP_AUTHORIZATION=f"Token {key}"))


def test_it_refuses_a_token_header_without_one_key(client):
    assert_refused(client.get(ME, HTTP_AUTHORIZATION="Bearer"))
    assert_refused(client.get(ME, HTTP_AUTHORIZATION="Bearer a b"))


def test_it_challenges_a_caller_without_a_token(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "not_authenticated"


def test_it_ends_tokens_with_a_password_change_on_allauths_page(client):
    user = UserFactory()
    key, other_key = made_on_the_page(client, user), made_on_the_page(client, user, name="Second")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    assert_refused(call(client, key))
    assert_refused(call(client, other_key))
    user.refresh_from_db()
    client.force_login(user)
    assert "Ended by a password change" in client.get(reverse("api_tokens")).content.decode()


def test_it_ends_tokens_with_a_password_reset(client):
    user = UserFactory()
    key = made_on_the_page(client, user)
    link = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    form_page = client.get(link)  # allauth moves the key into the session, then shows the form
    assert form_page.status_code == 302
    response = client.post(form_page["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    client.logout()
    assert_refused(call(client, key))


def test_it_ends_tokens_with_set_password(client):
    user = UserFactory()
    key = made_on_the_page(client, user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert_refused(call(client, key))


def test_it_keeps_tokens_made_after_the_change(client):
    user = UserFactory()
    user.set_password(NEW_PASSWORD)
    user.save()
    assert call(client, made_on_the_page(client, user)).status_code == 200


def test_it_refuses_the_token_of_a_deactivated_person(client):
    user = UserFactory()
    key = made_on_the_page(client, user)
    user.is_active = False
    user.save()
    assert_refused(call(client, key))


def test_it_hides_my_tokens_from_everyone_else(client):
    me, other = UserFactory(), UserFactory(is_staff=True)
    key = made_on_the_page(client, me, name="Mine alone")
    token = ApiToken.objects.get()
    client.force_login(other)
    page = client.get(reverse("api_tokens")).content.decode()
    assert "Mine alone" not in page
    assert token.prefix not in page
    assert client.post(reverse("api_token_revoke", args=[token.public_id])).status_code == 404
    assert client.post("/account/tokens/not-a-uuid/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    client.logout()
    assert call(client, key).status_code == 200


def test_it_records_the_last_use_at_most_once_a_minute(client):
    key = made_on_the_page(client, UserFactory())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        call(client, key)
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        call(client, key)
    assert ApiToken.objects.get().last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        call(client, key)
    assert ApiToken.objects.get().last_used_at == start + dt.timedelta(seconds=61)


def test_it_never_shows_a_key_in_the_admin(client):
    owner = UserFactory()
    key = made_on_the_page(client, owner, name="Seen by admin")
    token = ApiToken.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    detail = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    for page in (listing, detail):
        assert "Seen by admin" in page
        assert token.prefix in page
        assert key[len(token.prefix) :] not in page
        assert token.key_hash not in page
        assert token.password_fingerprint not in page
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    assert client.get("/django-admin/authtoken/").status_code == 404  # DRF's raw keys are gone


def test_it_makes_a_token_from_the_command_line(client):
    user = UserFactory()
    out = StringIO()
    call_command("create_api_token", user.email, "--days", "30", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert call(client, key, "Bearer").json()["email"] == user.email
    assert ApiToken.objects.get().name == "Command line"
