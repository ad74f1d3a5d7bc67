"""People an import created are sent their invitation from the import result, and choose
their password on the invitation page: one step, signed in, enrolled, address verified."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from meridian.accounts.models import User
from meridian.programs.models import Enrollment, Invitation, StagedImport
from tests.factories import PASSWORD, InvitationFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

CSV = (
    "id,role,name,email,time_zone,capacity\n"
    "E1,mentor,Ann Lee,ann@example.org,Europe/Berlin,2\n"
    "E2,mentee,Bo Chen,bo@example.org,Asia/Shanghai,\n"
    "E3,mentee,Old Hand,old@example.org,UTC,\n"
)
NEW_PASSWORD = "a-long-Fresh-passphrase-42"


def _import(client, cohort) -> StagedImport:
    file = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")
    client.post(f"/cohorts/{cohort.public_id}/import/", {"file": file})
    staged = StagedImport.objects.get()
    url = f"/imports/{staged.public_id}/"
    response = client.post(url, {"digest": client.get(url).context["report"].digest}, follow=True)
    page = response.content.decode()
    assert "Send the 2 new people their invitation" in page
    assert f'action="/imports/{staged.public_id}/invite/"' in page
    staged.refresh_from_db()
    return staged


@pytest.fixture
def imported(client, cohort, manager):
    # old@example.org already has a password and is in the program: updated, not created.
    old = UserFactory(email="old@example.org")
    Enrollment.objects.create(cohort=cohort, user=old, role="mentee", status="approved")
    client.force_login(manager)
    return _import(client, cohort)


def test_it_records_only_the_accounts_the_import_created(imported):
    created = set(
        User.objects.filter(pk__in=imported.outcome["created_user_ids"]).values_list("email", flat=True)
    )
    assert created == {"ann@example.org", "bo@example.org"}


def test_the_button_invites_the_new_people_once_with_their_role(
    client, imported, cohort, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{imported.public_id}/invite/")
    assert response.status_code == 302
    invitations = {i.email: (i.role, i.capacity) for i in Invitation.objects.filter(cohort=cohort)}
    assert invitations == {"ann@example.org": ("mentor", 2), "bo@example.org": ("mentee", 1)}
    assert sorted(m["To"] for m in smtp_server.messages()) == ["ann@example.org", "bo@example.org"]
    first = Invitation.objects.get(email="bo@example.org").token
    client.post(f"/imports/{imported.public_id}/invite/")  # again: renewed, never doubled
    assert Invitation.objects.filter(cohort=cohort).count() == 2
    assert Invitation.objects.get(email="bo@example.org").token == first


def test_another_programs_manager_gets_404(client, imported, cohort):
    stranger = UserFactory()
    ProgramFactory(managers=[stranger])
    client.force_login(stranger)
    assert client.post(f"/imports/{imported.public_id}/invite/").status_code == 404
    assert client.get(f"/imports/{imported.public_id}/invite/").status_code == 405
    assert not Invitation.objects.filter(cohort=cohort).exists()


def test_an_import_not_done_cannot_invite(client, cohort, manager):
    staged = StagedImport.objects.create(cohort=cohort, uploaded_by=manager, filename="p.csv", data=b"x")
    client.force_login(manager)
    assert client.post(f"/imports/{staged.public_id}/invite/").status_code == 404


def test_the_imported_person_chooses_a_password_and_is_in(client, imported, cohort):
    client.post(f"/imports/{imported.public_id}/invite/")
    client.logout()
    invitation = Invitation.objects.get(email="bo@example.org")
    url = f"/invitations/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "Choose your password" in page
    assert "Sign in to accept" not in page

    weak = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 422
    assert weak.context["password_form"].errors["new_password2"]
    assert not User.objects.get(email="bo@example.org").has_usable_password()

    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    bo = User.objects.get(email="bo@example.org")
    assert response.context["user"] == bo
    assert "Welcome to" in response.content.decode()
    assert bo.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=bo, email="bo@example.org").verified
    assert Enrollment.objects.get(cohort=cohort, user=bo).status == "approved"

    # The token is used once: a second use (someone holding the link) is refused.
    client.logout()
    again = client.post(url, {"new_password1": "Another-pass-99x", "new_password2": "Another-pass-99x"})
    assert again.status_code == 410
    bo.refresh_from_db()
    assert bo.check_password(NEW_PASSWORD)


def test_a_person_with_a_password_signs_in_instead(client, cohort):
    UserFactory(email="has@example.org")
    invitation = InvitationFactory(cohort=cohort, email="has@example.org")
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "Sign in to accept" in page
    assert "new_password1" not in page
    client.post(
        f"/invitations/{invitation.token}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    user = User.objects.get(email="has@example.org")
    assert user.check_password(PASSWORD)
    assert not user.check_password(NEW_PASSWORD)
    assert not Enrollment.objects.filter(cohort=cohort, user=user).exists()


def test_staff_never_choose_a_password_there(client, cohort):
    staff = UserFactory(email="root@example.org", is_staff=True)
    staff.set_unusable_password()
    staff.save()
    invitation = InvitationFactory(cohort=cohort, email="root@example.org")
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "new_password1" not in page
    client.post(
        f"/invitations/{invitation.token}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    staff.refresh_from_db()
    assert not staff.has_usable_password()
    assert "_auth_user_id" not in client.session
