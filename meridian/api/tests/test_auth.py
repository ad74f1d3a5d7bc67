from __future__ import annotations

import pytest

from meridian.api.tests.conftest import error_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_tells_a_signed_in_person_who_they_are(client):
    user = UserFactory.create(name="Ines Id", time_zone="Asia/Tokyo")
    client.force_login(user)
    assert client.get("/api/v1/me/").json() == {
        "id": str(user.public_id),
        "name": "Ines Id",
        "email": user.email,
        "time_zone": "Asia/Tokyo",
        "is_administrator": False,
    }


def test_it_says_when_the_person_is_an_administrator(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/api/v1/me/").json()["is_administrator"] is True


def test_it_refuses_me_to_anonymous_visitors(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert error_of(response)["code"] == "not_authenticated"


def test_it_refuses_a_wrong_token(client):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
