"""``participants_import`` against what the database already holds: all rows or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from matching_engine.demo import generate_people
from matching_engine.model import Participant
from matching_engine.participants import RowError, read_participants, write_participants_csv
from meridian.accounts.models import Profile, User
from meridian.programs import import_plan, importing
from meridian.programs.importing import participants_import
from meridian.programs.models import Cohort, Enrollment
from tests.factories import CohortFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = read_participants(write_participants_csv(generate_people(30)).encode()).people
LAST = PEOPLE[-1]


@pytest.fixture
def cohort():
    return CohortFactory()


def counts() -> tuple[int, ...]:
    through = Enrollment.excluded.through
    return (
        User.objects.count(),
        Profile.objects.count(),
        Enrollment.objects.count(),
        through.objects.count(),
    )


def test_it_writes_nothing_when_the_last_rows_email_belongs_to_another_hr_id(cohort):
    ProfileFactory(external_id="HR-1", user__email=LAST.email)
    before = counts()

    report = participants_import(cohort=cohort, people=PEOPLE)

    assert report.errors == (
        RowError(LAST.line, "id", f"{LAST.email} is already registered with HR id HR-1, not {LAST.id}"),
    )
    assert not report.written
    assert counts() == before


def test_it_writes_nothing_when_the_last_rows_id_and_email_are_two_people(cohort):
    participants_import(cohort=cohort, people=PEOPLE)
    other = UserFactory(email="someone.else@example.org")
    before = counts()
    moved = [*PEOPLE[:-1], replace(LAST, email=other.email, title="Changed")]

    report = participants_import(cohort=CohortFactory(), people=moved)

    [error] = report.errors
    assert (error.line, error.column) == (LAST.line, "email")
    assert error.message == f"{other.email} already belongs to another person (HR id none)"
    assert counts() == before
    assert Profile.objects.get(external_id=LAST.id).title == LAST.title


def test_it_rolls_everything_back_when_the_database_refuses_the_last_row(cohort, monkeypatch):
    # Someone signs up with the last row's address between the checks and the writes.
    plan = import_plan.import_plan

    def plan_then_race(cohort: Cohort, people: Sequence[Participant], actor: User | None) -> object:
        result = plan(cohort, people, actor)
        UserFactory(email=LAST.email)
        return result

    monkeypatch.setattr(importing, "import_plan", plan_then_race)
    report = participants_import(cohort=cohort, people=PEOPLE)
    assert not report.ok
    assert "nothing was imported" in report.errors[0].message
    assert counts() == (1, 1, 0, 0)


def test_it_reports_conflicts_on_a_dry_run_too(cohort):
    ProfileFactory(external_id="HR-1", user__email=LAST.email)
    report = participants_import(cohort=cohort, people=PEOPLE, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(LAST.line, "id")]


def test_it_counts_new_and_updated_people_and_enrolments(cohort):
    first = participants_import(cohort=cohort, people=_closed(PEOPLE[:10]))
    assert (first.new_people, first.updated_people, first.new_enrollments) == (10, 0, 10)

    second = participants_import(cohort=cohort, people=PEOPLE)
    assert (second.new_people, second.updated_people) == (20, 10)
    assert (second.new_enrollments, second.updated_enrollments) == (20, 10)
    assert second.mentors + second.mentees == 30
    assert Enrollment.objects.filter(cohort=cohort, status="approved").count() == 30


def test_it_approves_again_a_person_who_had_withdrawn(cohort):
    participants_import(cohort=cohort, people=PEOPLE)
    enrollment = Enrollment.objects.get(user__email=LAST.email)
    enrollment.withdraw(reason="busy")
    participants_import(cohort=cohort, people=PEOPLE)
    enrollment.refresh_from_db()
    assert enrollment.status == "approved"
    assert Enrollment.objects.filter(cohort=cohort).count() == len(PEOPLE)


def test_it_clears_a_manager_removed_from_the_file(cohort):
    participants_import(cohort=cohort, people=PEOPLE)
    reporter = next(p for p in PEOPLE if p.manager_id)
    participants_import(
        cohort=cohort, people=[replace(p, manager_id="") if p == reporter else p for p in PEOPLE]
    )
    assert Profile.objects.get(external_id=reporter.id).manager is None


def test_it_clears_exclusions_removed_from_the_file(cohort):
    person, other = PEOPLE[1], PEOPLE[2]
    participants_import(
        cohort=cohort, people=[replace(p, exclude_ids=(other.id,)) if p == person else p for p in PEOPLE]
    )
    enrollment = Enrollment.objects.get(cohort=cohort, user__profile__external_id=person.id)
    assert [u.email for u in enrollment.excluded.all()] == [other.email]

    participants_import(cohort=cohort, people=[replace(p, exclude_ids=()) for p in PEOPLE])

    assert not enrollment.excluded.exists()


def test_it_finds_an_existing_account_whatever_the_case_of_its_email(cohort):
    person = PEOPLE[0]
    local, domain = person.email.split("@")
    existing = UserFactory(email=f"{local.title()}@{domain.upper()}")

    participants_import(cohort=cohort, people=_closed(PEOPLE[:3]))

    assert User.objects.filter(email__iexact=person.email).count() == 1
    assert Enrollment.objects.filter(cohort=cohort, user=existing).exists()


def _closed(people: tuple[Participant, ...] | list[Participant]) -> list[Participant]:
    ids = {p.id for p in people}
    return [
        replace(
            p,
            manager_id=p.manager_id if p.manager_id in ids else "",
            exclude_ids=tuple(i for i in p.exclude_ids if i in ids),
        )
        for p in people
    ]
