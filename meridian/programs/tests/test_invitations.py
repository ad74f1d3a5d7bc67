from __future__ import annotations

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from meridian.accounts.models import User
from meridian.programs.models import Enrollment, Invitation
from tests.factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, cohort, emails, role="mentee"):
    return client.post(
        f"/cohorts/{cohort.public_id}/invite/", {"emails": emails, "role": role, "message": "Join!"}
    )


def test_it_sends_invitations_by_smtp_with_a_personal_link(
    client, cohort, manager, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://mentoring.example.org"
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, cohort, "ana@example.org, ben@example.org\nana@example.org")
    assert response.status_code == 302
    messages = smtp_server.messages()
    assert sorted(m["To"] for m in messages) == ["ana@example.org", "ben@example.org"]
    token = Invitation.objects.get(email="ana@example.org").token
    body = messages[0].get_body(("plain",)).get_content() + messages[1].get_body(("plain",)).get_content()
    assert f"https://mentoring.example.org/invitations/{token}/" in body
    assert "Mia Manager invited you" in body


def test_it_names_the_bad_addresses(client, cohort, manager):
    client.force_login(manager)
    response = _invite(client, cohort, "ok@example.org, not-an-email, <script>@x")
    errors = response.context["form"].errors["emails"][0]
    assert "not-an-email" in errors
    assert not Invitation.objects.exists()


def test_it_signs_up_an_invited_person_with_the_address_verified(client, cohort):
    invitation = InvitationFactory(cohort=cohort, email="new@example.org", role="mentor")
    page = client.get(f"/invitations/{invitation.token}/")
    assert "Create my account" in page.content.decode()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "name": "Nia New",
            "time_zone": "Asia/Kathmandu",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new@example.org")
    assert (user.name, user.time_zone) == ("Nia New", "Asia/Kathmandu")
    assert EmailAddress.objects.get(user=user).verified
    # Creating the account accepted the invitation: no second "Accept and join" click.
    enrollment = Enrollment.objects.get(user=user)
    assert (enrollment.role, enrollment.status, enrollment.source) == ("mentor", "approved", "invitation")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_it_goes_from_the_invitation_to_the_profile_in_one_step(client, cohort):
    invitation = InvitationFactory(cohort=cohort, email="one@example.org")
    page = client.get(f"/invitations/{invitation.token}/")
    signup_url = page.context["signup_url"]
    response = client.post(
        signup_url,
        {
            "email": "one@example.org",
            "name": "Oni One",
            "time_zone": "UTC",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/profile/?next=/cohorts/{cohort.public_id}/"
    assert "Accept and join" not in body
    assert f"Welcome to {cohort}!" in body
    assert Enrollment.objects.get(user__email="one@example.org").status == "approved"


def test_it_keeps_sign_up_closed_without_an_invitation(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "name": "X",
            "time_zone": "UTC",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert not User.objects.filter(email="x@example.org").exists()
    assert response.status_code in (200, 302)


def test_it_refuses_to_sign_up_another_address_with_an_invitation(client, cohort):
    invitation = InvitationFactory(cohort=cohort, email="invited@example.org")
    client.get(f"/invitations/{invitation.token}/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "other@example.org",
            "name": "O",
            "time_zone": "UTC",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert "Use the address your invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="other@example.org").exists()


def test_it_refuses_an_invitation_for_someone_else(client, cohort):
    invitation = InvitationFactory(cohort=cohort, email="ana@example.org")
    client.force_login(UserFactory(email="mallory@example.org"))
    client.post(f"/invitations/{invitation.token}/")
    assert not Enrollment.objects.exists()


def test_it_says_when_an_invitation_has_expired(client, cohort):
    invitation = InvitationFactory(cohort=cohort, expires_at=timezone.now() - dt.timedelta(days=1))
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "can no longer be used" in response.content.decode()


def test_it_answers_404_to_a_made_up_token(client):
    assert client.get("/invitations/" + "x" * 500 + "/").status_code == 404
    assert "This page does not exist" in client.get("/invitations/nope/").content.decode()
