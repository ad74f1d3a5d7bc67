"""Finding 10: a program manager's or administrator's session ends after SESSION_IDLE_TIMEOUT
without a request; a participant's lasts SESSION_COOKIE_AGE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _four_hours(settings):
    settings.SESSION_IDLE_TIMEOUT = 4 * 3600


def manager():
    user = UserFactory()
    ProgramFactory(managers=[user])
    return user


def mentee():
    user = UserFactory()
    EnrollmentFactory(user=user, cohort=CohortFactory(), role="mentee", status="approved")
    return user


def signed_in(client, user, traveller):
    client.force_login(user)
    response = client.get("/programs/")
    assert response.status_code == 200
    return traveller


def test_it_signs_out_a_manager_idle_past_the_timeout(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, manager(), traveller)
        traveller.shift(4 * HOUR + timedelta(seconds=1))
        response = client.get("/programs/?q=x")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fprograms%2F%3Fq%3Dx"
        assert "_auth_user_id" not in client.session
        login = client.get(response["Location"])
        assert "You were signed out after 4 hours without activity." in login.content.decode()
        assert client.get("/programs/").status_code == 302


def test_it_signs_out_an_administrator_too(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, UserFactory(is_staff=True), traveller)
        traveller.shift(5 * HOUR)
        assert client.get("/programs/").status_code == 302
        assert "_auth_user_id" not in client.session


def test_it_keeps_a_mentee_signed_in_for_the_long_session(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, mentee(), traveller)
        traveller.shift(3 * 24 * HOUR)
        assert client.get("/programs/").status_code == 200


def test_activity_inside_the_window_keeps_a_manager_signed_in(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, manager(), traveller)
        for _ in range(4):  # 12 hours in all, never 4 hours idle
            traveller.shift(3 * HOUR)
            assert client.get("/programs/").status_code == 200
        traveller.shift(4 * HOUR + timedelta(minutes=1))
        assert client.get("/programs/").status_code == 302


def test_it_notices_a_participant_who_became_a_manager(client):
    with time_machine.travel(START, tick=False) as traveller:
        user = mentee()
        signed_in(client, user, traveller)
        ProgramFactory(managers=[user])
        traveller.shift(2 * HOUR)
        assert client.get("/programs/").status_code == 200  # refreshes the role
        traveller.shift(4 * HOUR + timedelta(minutes=1))
        assert client.get("/programs/").status_code == 302


def test_an_htmx_request_is_sent_to_sign_in_as_a_whole_page(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, manager(), traveller)
        traveller.shift(5 * HOUR)
        response = client.get("/programs/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"] == "/accounts/login/"


def test_an_api_request_gets_the_api_refusal(client):
    with time_machine.travel(START, tick=False) as traveller:
        signed_in(client, manager(), traveller)
        traveller.shift(5 * HOUR)
        response = client.get("/api/v1/programs/")
        assert response.status_code in (401, 403)
        assert response["Content-Type"].startswith("application/json")
        assert "_auth_user_id" not in client.session


def test_it_reads_the_timeout_from_the_environment():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "SESSION_IDLE_TIMEOUT": "1800"}
    env.setdefault("SECRET_KEY", "k" * 60)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_IDLE_TIMEOUT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "1800"
