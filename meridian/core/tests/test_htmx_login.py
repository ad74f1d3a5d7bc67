"""An htmx request whose session is gone is sent to sign in as a whole page (HX-Redirect),
never answered with the login page swapped into the form."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_out_htmx_post_is_sent_to_sign_in_with_hx_redirect(client):
    thread = f"/mentorships/{uuid.uuid4()}/messages/"
    response = client.post(
        thread,
        {"body": "Hello"},
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{thread}"},
    )
    assert response.status_code in (200, 204)
    assert response["HX-Redirect"] == f"/accounts/login/?next={thread.replace('/', '%2F')}"
    assert "Location" not in response


def test_a_signed_out_plain_post_still_gets_the_ordinary_redirect(client):
    response = client.post(f"/mentorships/{uuid.uuid4()}/messages/", {"body": "Hello"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "HX-Redirect" not in response


def test_an_htmx_redirect_elsewhere_is_left_alone(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/", headers={"HX-Request": "true"})
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/login/")
    assert "HX-Redirect" not in response
