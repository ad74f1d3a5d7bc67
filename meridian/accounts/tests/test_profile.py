from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Priya Raman",
    "time_zone": "Asia/Kolkata",
    "title": "Data Analyst",
    "department": "Finance",
    "manager_email": "",
    "seniority": "3",
    "bio": "Numbers and people.",
    "goals": "Lead a team within two years.",
    "availability": "wed 14:00-17:30;Mon 09:00-12:00",
    "languages": "EN; hi",
    "skills_offered": "SQL; Excel; SQL",
    "skills_wanted": "stakeholder management",
    "interests": "running",
    "values": "curiosity",
    "channels": ["video", "messages"],
}


def test_it_saves_every_matching_field_in_canonical_form(client):
    user = UserFactory()
    manager = UserFactory(email="boss@example.org")
    client.force_login(user)
    response = client.post("/profile/", {**GOOD, "manager_email": "BOSS@example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    profile = user.profile
    assert (user.name, user.time_zone) == ("Priya Raman", "Asia/Kolkata")
    assert profile.availability == "Mon 09:00-12:00; Wed 14:00-17:30"
    assert profile.languages == ["en", "hi"]
    assert profile.skills_offered == ["SQL", "Excel"]
    assert profile.channels == ["video", "messages"]
    assert profile.manager == manager
    assert profile.completeness == 100


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("availability", "Mon 9-12", "Mon 09:00-12:00"),
        ("availability", "Mon 10:10-11:00", "15-minute"),
        ("languages", "english", "Not ISO 639-1"),
        ("time_zone", "GMT+2", "Select a valid choice"),
        ("manager_email", "nobody@example.org", "Nobody with this email"),
        ("seniority", "11", "valid choice"),
        ("skills_offered", "x" * 101, "longer than 100"),
    ],
)
def test_it_puts_the_error_next_to_the_field_and_saves_nothing(client, field, value, message):
    user = UserFactory(name="Before")
    client.force_login(user)
    response = client.post("/profile/", {**GOOD, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    user.refresh_from_db()
    assert user.name == "Before"
    assert f'id="id_{field}_error"' in response.content.decode()


def test_it_refuses_me_as_my_own_manager(client):
    user = UserFactory(email="me@example.org")
    client.force_login(user)
    response = client.post("/profile/", {**GOOD, "manager_email": "me@example.org"})
    assert "own manager" in " ".join(response.context["form"].errors["manager_email"])


def test_it_only_follows_safe_next_links(client):
    client.force_login(UserFactory())
    assert client.post("/profile/?next=https://evil.example/", GOOD).url == "/profile/"
    assert client.post("/profile/", {**GOOD, "next": "/programs/"}).url == "/programs/"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(sorted(GOOD)), st.text(max_size=400), max_size=12))
def test_it_never_fails_on_hostile_profile_input(client, data):
    client.force_login(UserFactory())
    assert client.post("/profile/", {**GOOD, **data}).status_code in (200, 302)
