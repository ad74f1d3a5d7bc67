"""The enrolment's one door (``selectors.get_enrollment_for_user``) and its rules
(``permissions.may_change_enrollment``, ``may_see_enrollment``): its owner opens the
pages that change it only while it is still open; the program's managers always."""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404

from meridian.programs import selectors
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _withdraw(enrollment):
    return f"/enrollments/{enrollment.public_id}/withdraw/"


@pytest.mark.parametrize("status", ["declined", "withdrawn"])
def test_the_owner_of_a_closed_enrolment_no_longer_opens_its_withdraw_page(client, cohort, status):
    enrollment = EnrollmentFactory(cohort=cohort, status=status)
    client.force_login(enrollment.user)
    assert client.get(_withdraw(enrollment)).status_code == 404
    with pytest.raises(Http404):
        selectors.get_enrollment_for_user(enrollment.user, enrollment.public_id, write=True)
    # reading it stays allowed: it is theirs
    assert selectors.get_enrollment_for_user(enrollment.user, enrollment.public_id) == enrollment


@pytest.mark.parametrize("status", ["invited", "applied", "approved"])
def test_the_owner_of_an_open_enrolment_opens_it(client, cohort, status):
    enrollment = EnrollmentFactory(cohort=cohort, status=status)
    client.force_login(enrollment.user)
    assert client.get(_withdraw(enrollment)).status_code == 200


@pytest.mark.parametrize("status", ["applied", "declined", "withdrawn"])
def test_the_programs_managers_reach_it_whatever_its_state(cohort, manager, status):
    enrollment = EnrollmentFactory(cohort=cohort, status=status)
    assert selectors.get_enrollment_for_user(manager, enrollment.public_id, write=True) == enrollment


def test_others_and_unknown_ids_get_404(client, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, status="applied")
    outsider = UserFactory()
    for public_id in (enrollment.public_id, uuid.uuid4()):
        for write in (False, True):
            with pytest.raises(Http404):
                selectors.get_enrollment_for_user(outsider, public_id, write=write)
    client.force_login(outsider)
    assert client.get(_withdraw(enrollment)).status_code == 404
    assert client.get("/enrollments/not-a-uuid/withdraw/").status_code == 404
