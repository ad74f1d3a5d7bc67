"""Attacks through the participant import, each performed as a test: the manager of
program Q imports rows naming people of program P (which they do not manage), the
administrator, or HR ids of others. None of them may take over an account, change
someone else's details, enrol them, or learn anything about them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from matching_engine.participants import read_participants
from meridian.accounts.models import User
from meridian.programs.importing import participants_import
from meridian.programs.models import Enrollment, Invitation, StagedImport
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "id,role,name,email,time_zone,title,capacity\n"


@pytest.fixture
def world():
    """Emi is a mentee of program P; Quinn manages program Q only; Ada administers."""
    p_manager, q_manager = UserFactory(name="Pat Manager"), UserFactory(name="Quinn Manager")
    p_cohort = CohortFactory(program=ProgramFactory(managers=[p_manager]))
    q_cohort = CohortFactory(program=ProgramFactory(managers=[q_manager]))
    emi = UserFactory(email="emi.nakamura@example.org", name="Emi Nakamura", time_zone="Asia/Tokyo")
    emi.profile.external_id, emi.profile.title = "E10002", "Data analyst"
    emi.profile.save()
    EnrollmentFactory(cohort=p_cohort, user=emi)
    admin = UserFactory(email="ada@example.org", name="Ada Admin", is_staff=True, is_superuser=True)
    return p_manager, q_manager, p_cohort, q_cohort, emi, admin


def rows(*lines: str):
    parsed = read_participants((HEADER + "\n".join(lines) + "\n").encode())
    assert parsed.ok, parsed.errors
    return parsed.people


def snapshot(user: User) -> tuple[object, ...]:
    user.refresh_from_db()
    user.profile.refresh_from_db()
    return (user.email, user.name, user.time_zone, user.profile.external_id, user.profile.title)


def test_it_refuses_another_programs_hr_id_with_a_new_email_and_takes_over_nothing(world):
    _p_manager, q_manager, _p, q_cohort, emi, _admin = world
    before = snapshot(emi)

    report = participants_import(
        cohort=q_cohort,
        people=rows("E10002,mentee,Emi Nakamura,attacker@example.org,UTC,,"),
        actor=q_manager,
    )

    assert not report.written
    [error] = report.errors
    assert error.column == "id"
    # Nothing about Emi is revealed: not her address, name or that she is in program P.
    for secret in ("emi.nakamura", "Nakamura <", "Data analyst", _p.program.name):
        assert secret not in error.message
    assert snapshot(emi) == before
    assert not User.objects.filter(email="attacker@example.org").exists()
    assert not Enrollment.objects.filter(cohort=q_cohort).exists()


def test_it_never_reaches_the_administrator_in_two_imports(world):
    _p_manager, q_manager, _p, q_cohort, _emi, admin = world
    before = snapshot(admin)

    first = participants_import(
        cohort=q_cohort, people=rows("X1,mentee,Ada Admin,ada@example.org,UTC,Intern,"), actor=q_manager
    )
    second = participants_import(
        cohort=q_cohort, people=rows("X1,mentee,Ada Admin,attacker@example.org,UTC,,"), actor=q_manager
    )

    assert first.written
    assert (first.invited_people, first.updated_people) == (1, 0)
    assert snapshot(admin) == before  # no HR id attached, no name, zone or title written
    assert not Enrollment.objects.filter(user=admin).exists()
    # The second import can only create the attacker's own, new account.
    assert second.written
    assert second.new_people == 1
    assert User.objects.get(email="attacker@example.org").pk != admin.pk
    assert snapshot(admin) == before


def test_it_invites_an_outsider_named_by_email_and_changes_nothing_of_theirs(
    world, client: Client, django_capture_on_commit_callbacks
):
    _p_manager, q_manager, _p, q_cohort, emi, _admin = world
    before = snapshot(emi)

    with django_capture_on_commit_callbacks(execute=True):
        report = participants_import(
            cohort=q_cohort,
            people=rows("Q-7,mentor,Someone Else,emi.nakamura@example.org,UTC,Boss,3"),
            actor=q_manager,
        )

    assert report.written
    assert report.invited_people == 1
    assert report.enrolled == 0
    assert snapshot(emi) == before
    assert not Enrollment.objects.filter(cohort=q_cohort, user=emi).exists()
    invitation = Invitation.objects.get(cohort=q_cohort, email=emi.email)
    assert (invitation.role, invitation.capacity, invitation.invited_by) == ("mentor", 3, q_manager)
    assert any(emi.email in m.to for m in mail.outbox)
    # Emi accepts (or not): only then is she in Q, with the role and capacity offered.
    client.force_login(emi)
    client.post(f"/invitations/{invitation.token}/")
    enrollment = Enrollment.objects.get(cohort=q_cohort, user=emi)
    assert (enrollment.status, enrollment.role, enrollment.capacity) == ("approved", "mentor", 3)


def test_it_never_changes_an_email_even_of_the_managers_own_participant(world):
    p_manager, _q_manager, p_cohort, _q, emi, _admin = world
    other_cohort = CohortFactory(program=p_cohort.program)
    before = snapshot(emi)

    report = participants_import(
        cohort=other_cohort,
        people=rows("E10002,mentee,Emi Nakamura,attacker@example.org,UTC,,"),
        actor=p_manager,
    )

    [error] = report.errors
    assert "never changes a sign-in address" in error.message
    assert snapshot(emi) == before


def test_it_updates_the_managers_own_participants(world):
    p_manager, _q_manager, p_cohort, _q, emi, _admin = world
    other_cohort = CohortFactory(program=p_cohort.program)

    report = participants_import(
        cohort=other_cohort,
        people=rows("E10002,mentee,Emi N.,emi.nakamura@example.org,Europe/Berlin,Lead analyst,"),
        actor=p_manager,
    )

    assert report.written
    assert (report.updated_people, report.invited_people) == (1, 0)
    assert snapshot(emi) == ("emi.nakamura@example.org", "Emi N.", "Europe/Berlin", "E10002", "Lead analyst")
    assert Enrollment.objects.get(cohort=other_cohort, user=emi).status == "approved"


def test_it_enrols_no_other_manager_and_reveals_no_hr_id(world):
    p_manager, q_manager, _p, q_cohort, emi, _admin = world
    p_manager.profile.external_id = "M-1"
    p_manager.profile.save()

    report = participants_import(
        cohort=q_cohort,
        people=rows(
            "E999,mentee,Pat,pat@x.example,UTC,,",  # a new person: fine
            f"E10002,mentee,Emi,{p_manager.email},UTC,,",  # Emi's HR id with Pat's address
        ),
        actor=q_manager,
    )

    [error] = report.errors
    for secret in ("M-1", "E10002 is", emi.email, p_manager.name):
        assert secret not in error.message
    assert not Enrollment.objects.filter(cohort=q_cohort).exists()


def test_it_never_updates_staff_even_from_the_command_line(world):
    *_rest, admin = world
    before = snapshot(admin)
    cohort = CohortFactory()

    report = participants_import(cohort=cohort, people=rows("S1,mentor,Changed,ada@example.org,UTC,CEO,2"))

    assert report.written
    assert report.invited_people == 1
    assert snapshot(admin) == before
    assert not Enrollment.objects.filter(user=admin).exists()


def test_it_lets_an_administrator_update_participants_of_any_program(world):
    *_rest, _p_cohort, _q, emi, admin = world
    report = participants_import(
        cohort=CohortFactory(),
        people=rows("E10002,mentee,Emi Nakamura,emi.nakamura@example.org,Asia/Tokyo,Analyst II,"),
        actor=admin,
    )
    assert report.written
    assert report.updated_people == 1
    assert snapshot(emi)[4] == "Analyst II"


def test_it_refuses_a_confirm_when_the_people_changed_since_the_preview(world, client: Client):
    _p_manager, q_manager, _p, q_cohort, _emi, _admin = world
    client.force_login(q_manager)
    data = HEADER + "N1,mentee,Nia New,nia@example.org,UTC,,\nN2,mentee,Noor New,noor@example.org,UTC,,\n"
    upload = client.post(
        f"/cohorts/{q_cohort.public_id}/import/", {"file": SimpleUploadedFile("p.csv", data.encode())}
    )
    url = upload["Location"]
    promised = client.get(url).context["report"]
    assert (promised.new_people, promised.invited_people) == (2, 0)
    UserFactory(email="noor@example.org")  # signs up meanwhile

    answer = client.post(url, {"digest": promised.digest})

    assert answer.status_code == 200
    assert "Something changed since you saw the preview" in answer.content.decode()
    fresh = answer.context["report"]
    assert (fresh.new_people, fresh.invited_people) == (1, 1)
    assert not Enrollment.objects.filter(cohort=q_cohort).exists()
    assert StagedImport.objects.get().applied_at is None
    # Confirming the new preview imports what it now says.
    assert client.post(url, {"digest": fresh.digest}).status_code == 302
    assert Enrollment.objects.filter(cohort=q_cohort).count() == 1
    assert Invitation.objects.filter(cohort=q_cohort, email="noor@example.org").exists()
