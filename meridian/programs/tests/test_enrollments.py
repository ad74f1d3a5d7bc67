from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.programs.models import Enrollment
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lets_a_person_apply_as_mentor_with_a_capacity(client, cohort):
    user = UserFactory()
    client.force_login(user)
    data = {"role": "mentor", "capacity": "2", "motivation": "Pay it forward"}
    response = client.post(f"/cohorts/{cohort.public_id}/apply/", data)
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=user)
    assert (enrollment.role, enrollment.status, enrollment.capacity) == ("mentor", "applied", 2)


def test_it_asks_a_mentor_for_a_capacity(client, cohort):
    client.force_login(UserFactory())
    response = client.post(f"/cohorts/{cohort.public_id}/apply/", {"role": "mentor", "capacity": ""})
    assert "capacity" in response.context["form"].errors
    assert not Enrollment.objects.exists()


def test_it_refuses_applications_to_a_cohort_that_is_not_open(client, cohort):
    cohort.status = "running"
    cohort.save()
    user = UserFactory()
    EnrollmentFactory(cohort=cohort)  # makes the cohort visible to nobody new; outsider gets 404
    client.force_login(user)
    assert client.post(f"/cohorts/{cohort.public_id}/apply/", {"role": "mentee"}).status_code == 404


def test_it_refuses_a_second_application(client, cohort):
    user = UserFactory()
    EnrollmentFactory(cohort=cohort, user=user, status="applied")
    client.force_login(user)
    response = client.post(f"/cohorts/{cohort.public_id}/apply/", {"role": "mentee"}, follow=True)
    assert response.redirect_chain == [(f"/cohorts/{cohort.public_id}/", 302)]
    assert "You have already applied to" in response.content.decode()
    assert Enrollment.objects.filter(user=user).count() == 1


def test_it_sends_a_member_of_a_running_cohort_back_to_the_cohort(client, cohort):
    cohort.status = "running"
    cohort.save()
    member = EnrollmentFactory(cohort=cohort, status="approved").user
    client.force_login(member)
    response = client.get(f"/cohorts/{cohort.public_id}/apply/", follow=True)
    assert response.redirect_chain == [(f"/cohorts/{cohort.public_id}/", 302)]
    assert "You are already a member of" in response.content.decode()


def test_it_tells_a_manager_a_cohort_that_is_not_open_takes_no_applications(client, cohort, manager):
    cohort.status = "draft"
    cohort.save()
    client.force_login(manager)
    response = client.get(f"/cohorts/{cohort.public_id}/apply/", follow=True)
    assert response.redirect_chain == [(f"/cohorts/{cohort.public_id}/", 302)]
    assert "is not taking applications at the moment" in response.content.decode()


def test_it_emails_the_applicant_over_smtp_when_approved(
    client, cohort, manager, smtp_server, django_capture_on_commit_callbacks
):
    enrollment = EnrollmentFactory(cohort=cohort, status="applied")
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/enrollments/{enrollment.public_id}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.decided_by) == ("approved", manager)
    [message] = smtp_server.messages()
    assert message["To"] == enrollment.user.email
    assert "Welcome to" in message["Subject"]
    assert message.get_body(("html",)) is not None


def test_it_returns_the_row_fragment_to_htmx(client, cohort, manager):
    enrollment = EnrollmentFactory(cohort=cohort, status="applied")
    client.force_login(manager)
    response = client.post(
        f"/enrollments/{enrollment.public_id}/decide/", {"decision": "decline"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="row-{enrollment.public_id}"')
    assert "Declined" in body


def test_it_never_lets_an_applicant_approve_themselves(client, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, status="applied")
    client.force_login(enrollment.user)
    response = client.post(f"/enrollments/{enrollment.public_id}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "applied"


def test_it_lets_a_participant_withdraw_with_a_reason(client, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, status="approved")
    client.force_login(enrollment.user)
    response = client.post(f"/enrollments/{enrollment.public_id}/withdraw/", {"reason": "New job"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.withdrawn_reason) == ("withdrawn", "New job")


def test_it_lets_a_withdrawn_person_apply_again(client, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, status="withdrawn")
    client.force_login(enrollment.user)
    client.post(f"/cohorts/{cohort.public_id}/apply/", {"role": "mentee"})
    enrollment.refresh_from_db()
    assert enrollment.status == "applied"


def test_it_shows_members_to_members_but_not_to_applicants(client, cohort):
    member = EnrollmentFactory(cohort=cohort, status="approved")
    applicant = EnrollmentFactory(cohort=cohort, status="applied")
    client.force_login(member.user)
    assert applicant.user.name not in client.get(f"/cohorts/{cohort.public_id}/").content.decode()
    assert client.get(f"/cohorts/{cohort.public_id}/").context["members"] is not None
    client.force_login(applicant.user)
    assert client.get(f"/cohorts/{cohort.public_id}/").context["members"] is None


def _table(client, cohort, /, **params):
    return client.get(f"/programs/{cohort.program.public_id}/people/", params)


def test_it_searches_filters_and_pages_the_enrolment_table(client, cohort, manager):
    for i in range(60):
        EnrollmentFactory(cohort=cohort, user=UserFactory(name=f"Person {i:02d}"), role="mentee")
    EnrollmentFactory(cohort=cohort, user=UserFactory(name="Zed Mentor"), role="mentor", status="applied")
    client.force_login(manager)
    assert _table(client, cohort).context["page"].paginator.count == 61
    assert len(_table(client, cohort).context["page"].object_list) == 50
    assert len(_table(client, cohort, page=2).context["page"].object_list) == 11
    assert [e.user.name for e in _table(client, cohort, q="zed").context["page"]] == ["Zed Mentor"]
    assert _table(client, cohort, role="mentor", status="applied").context["page"].paginator.count == 1
    assert _table(client, cohort, status="bogus").status_code == 200


@pytest.mark.parametrize("rows", [3, 60])
def test_it_pins_the_query_count_of_the_enrolment_table(
    client, cohort, manager, rows, django_assert_num_queries
):
    for _ in range(rows):
        EnrollmentFactory(cohort=cohort)
    client.force_login(manager)
    # session, user, program, may manage it, departments, cohorts (filter choices), count,
    # page ids, rows
    with django_assert_num_queries(9):
        response = _table(client, cohort, role="mentee")
    assert response.status_code == 200


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "cohort", "role", "status", "department", "sort", "page"]),
        st.text(max_size=80),
        max_size=7,
    )
)
def test_it_never_fails_on_hostile_table_parameters(client, cohort, manager, params):
    client.force_login(manager)
    assert _table(client, cohort, **params).status_code == 200
