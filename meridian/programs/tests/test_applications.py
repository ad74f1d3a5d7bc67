"""Applications are not decided blind: the name opens the applicant's profile and their
answer; several are approved or declined at once, after a page naming who, all or none."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from meridian.programs.models import Enrollment
from tests.factories import CohortFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _applied(cohort, name: str, **fields):
    return EnrollmentFactory(cohort=cohort, user=UserFactory(name=name), status="applied", **fields)


def _statuses(cohort) -> dict[str, str]:
    return dict(Enrollment.objects.filter(cohort=cohort).values_list("user__name", "status"))


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_name_opens_the_applicants_profile_and_answer(client, cohort, manager):
    ada = _applied(cohort, "Ada Applicant", motivation="A mentor who has led a data team.")
    ada.user.profile.skills_wanted = ["Leadership", "SQL"]
    ada.user.profile.save()
    client.force_login(manager)

    table = client.get(f"/programs/{cohort.program.public_id}/people/").content.decode()
    assert f'<a href="/enrollments/{ada.public_id}/">Ada Applicant</a>' in table
    assert "A mentor who has led a data team." in table

    page = client.get(f"/enrollments/{ada.public_id}/").content.decode()
    assert "What they hope to get" in page
    assert "A mentor who has led a data team." in page
    assert "Leadership, SQL" in page
    assert f'action="/enrollments/{ada.public_id}/decide/"' in page


def test_the_profile_is_not_shown_to_another_programs_manager(client, cohort):
    ada = _applied(cohort, "Ada Applicant", motivation="secret hopes")
    other = UserFactory()
    CohortFactory(program__managers=[other])
    client.force_login(other)
    response = client.get(f"/enrollments/{ada.public_id}/")
    assert response.status_code == 404
    assert b"secret hopes" not in response.content


def test_several_are_approved_after_a_page_naming_who(
    client, cohort, manager, smtp_server, django_capture_on_commit_callbacks
):
    ada, _bo, cy = (_applied(cohort, name) for name in ("Ada Applicant", "Bo Applicant", "Cy Applicant"))
    client.force_login(manager)
    url = f"/programs/{cohort.program.public_id}/people/decide/"
    ids = [str(ada.public_id), str(cy.public_id)]

    confirm = client.post(url, {"ids": ids, "decision": "approve"})
    page = confirm.content.decode()
    assert "Approve 2 applications?" in page
    assert "Ada Applicant" in page
    assert "Cy Applicant" in page
    assert "Bo Applicant" not in page
    assert set(_statuses(cohort).values()) == {"applied"}  # nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"ids": ids, "decision": "approve", "confirm": "yes"})
    assert done.status_code == 302
    assert _statuses(cohort) == {
        "Ada Applicant": "approved",
        "Bo Applicant": "applied",
        "Cy Applicant": "approved",
    }
    assert _messages(done) == ["Approved 2 applications: Ada Applicant, Cy Applicant."]
    assert sorted(m["To"] for m in smtp_server.messages()) == sorted([ada.user.email, cy.user.email])


def test_it_decides_all_or_none(client, cohort, manager):
    ada, bo = _applied(cohort, "Ada Applicant"), _applied(cohort, "Bo Applicant")
    Enrollment.objects.filter(pk=bo.pk).update(status="withdrawn")  # gone meanwhile
    client.force_login(manager)
    url = f"/programs/{cohort.program.public_id}/people/decide/"
    done = client.post(url, {"ids": [ada.public_id, bo.public_id], "decision": "decline", "confirm": "yes"})
    assert done.status_code == 302
    assert _statuses(cohort) == {"Ada Applicant": "applied", "Bo Applicant": "withdrawn"}
    assert _messages(done) == [
        "Nothing was changed. Bo Applicant: Only pending applications can be approved or declined."
    ]


def test_it_refuses_an_application_of_another_program(client, cohort, manager):
    ada = _applied(cohort, "Ada Applicant")
    stranger = _applied(CohortFactory(status="open"), "Sam Stranger")
    client.force_login(manager)
    url = f"/programs/{cohort.program.public_id}/people/decide/"
    for confirm in ("", "yes"):
        data = {"ids": [ada.public_id, stranger.public_id], "decision": "approve", "confirm": confirm}
        assert client.post(url, data).status_code == 404
    assert Enrollment.objects.filter(status="applied").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Tick the applications to decide first."),
        ({"decision": "maybe", "ids": ["x"]}, "Choose to approve or to decline."),
    ],
)
def test_it_says_what_is_wrong_with_a_bad_request(client, cohort, manager, data, message):
    client.force_login(manager)
    response = client.post(f"/programs/{cohort.program.public_id}/people/decide/", data)
    assert response.status_code == 302
    assert _messages(response) == [message]
