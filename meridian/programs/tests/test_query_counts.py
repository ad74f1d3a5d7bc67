"""Every list page issues the same number of queries for a few rows and for many."""

from __future__ import annotations

import pytest

from meridian.accounts.models import Profile, User
from meridian.programs.models import Enrollment
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db


def _count(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _members(cohort, count: int) -> None:
    """``count`` approved members with titles and departments, in three bulk inserts."""
    users = User.objects.bulk_create(
        User(email=f"m{n:05}@example.org", name=f"Member {n:05}", password="!") for n in range(count)
    )
    Profile.objects.bulk_create(
        Profile(user=u, title="Data Engineer" if n % 3 else "Analyst", department=f"Dept {n % 7}")
        for n, u in enumerate(users)
    )
    Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, user=u, role="mentee", status="approved") for u in users
    )


@pytest.mark.parametrize("rows", [10, 10_000])
def test_it_pins_the_cohort_member_list(client, django_assert_num_queries, rows):
    cohort = CohortFactory(status="running")
    member = EnrollmentFactory(cohort=cohort)
    _members(cohort, rows)
    client.force_login(member.user)
    # session, user, cohort+program, visibility, my enrolment, manager checks (2),
    # member check, then the page of members: count, ids, rows with profiles
    for search in ("", "?q=engineer&page=2"):
        _count(client, django_assert_num_queries, f"/cohorts/{cohort.public_id}/{search}", 11)


def test_the_cohort_member_list_shows_a_page_and_finds_by_name_title_or_department(client):
    cohort = CohortFactory(status="running")
    member = EnrollmentFactory(cohort=cohort)
    _members(cohort, 60)
    client.force_login(member.user)
    url = f"/cohorts/{cohort.public_id}/"

    first = client.get(url).context["members"]
    assert (first.paginator.count, len(first.object_list), first.paginator.num_pages) == (61, 24, 3)
    assert client.get(url, {"q": "member 00042"}).context["members"].paginator.count == 1
    analysts = client.get(url, {"q": "analyst"}).context["members"]
    assert analysts.paginator.count == Profile.objects.filter(title="Analyst").count() == 21
    assert {m.user.profile.title for m in analysts.object_list} == {"Analyst"}
    assert client.get(url, {"q": "dept 3"}).context["members"].paginator.count == 9  # n % 7 == 3
    assert client.get(url, {"q": "example.org"}).context["members"].paginator.count == 0  # no emails
    too_long = client.get(url, {"q": "x" * 101})
    assert too_long.status_code == 200
    assert "at most 100 characters" in too_long.content.decode()
    assert too_long.context["members"].paginator.count == 61
    assert client.get(url, {"page": "abc"}).context["members"].number == 1
    assert client.get(url, {"page": "999"}).context["members"].number == 3
    htmx = client.get(url, {"q": "analyst"}, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<div id="members">')


@pytest.mark.parametrize("rows", [1, 12])
def test_it_pins_the_program_page(client, django_assert_num_queries, rows):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    for _ in range(rows):
        EnrollmentFactory(cohort=CohortFactory(program=program))
    client.force_login(manager)
    # session, user, program, may see it, manager check, cohorts with counts, managers
    _count(client, django_assert_num_queries, f"/programs/{program.public_id}/", 7)


@pytest.mark.parametrize("rows", [1, 10])
def test_it_pins_the_home_page(client, django_assert_num_queries, rows):
    manager = UserFactory()
    program = ProgramFactory(managers=[manager])
    for _ in range(rows):
        cohort = CohortFactory(program=program)
        EnrollmentFactory(cohort=cohort, user=manager)
        CohortFactory(status="open")
        mentoring_pair(mentee=manager)
    client.force_login(manager)
    # session, user, profile, managed programs with counts and to-dos, my enrolments (with
    # matched?), then the participant's part (meridian/scheduling/participant_home.py): my
    # mentorships, their members with people, next meetings, proposals waiting for me, my
    # open action items; the program's asks (meridian/engagement/selectors.py participant_todos: open
    # pulses, requests to observe, nudges and proposed closures; a fourth when a nudge stands);
    # mentorships closed lately (meridian/mentorships/closing_reads.py); open cohorts
    _count(client, django_assert_num_queries, "/", 15)


@pytest.mark.parametrize("rows", [1, 10])
def test_it_pins_the_invitation_list(client, django_assert_num_queries, rows):
    manager = UserFactory()
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]))
    for i in range(rows):
        cohort.invitations.create(email=f"p{i}@example.org", role="mentee")
    client.force_login(manager)
    # session, user, cohort+program, manager check, pending invitations
    _count(client, django_assert_num_queries, f"/cohorts/{cohort.public_id}/invite/", 5)
