"""Exporting a program's people as a participant file (CSV or XLSX) that imports back."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import openpyxl
import pytest
import time_machine

from matching_engine.demo import generate_people
from matching_engine.participants import COLUMNS, read_participants, write_participants_csv
from meridian.programs.importing import participants_import
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = read_participants(write_participants_csv(generate_people(40)).encode()).people
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def manager():
    return UserFactory()


@pytest.fixture
def program(manager):
    return ProgramFactory(managers=[manager], slug="grow-together")


@pytest.fixture
def cohort(program):
    return CohortFactory(program=program)


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def export(client, program, fmt: str = "csv", query: str = ""):
    response = client.get(f"/programs/{program.public_id}/people.{fmt}{query}")
    assert response.status_code == 200
    return response


def read_back(response, fmt: str = "csv"):
    result = read_participants(response.content, filename=f"people.{fmt}")
    assert result.errors == ()
    return result.people


def by_id(people) -> dict[str, object]:
    return {p.id: p for p in people}


def closed(people):
    """A slice of the organisation whose manager and exclusion ids stay inside it."""
    ids = {p.id for p in people}
    return [
        replace(
            p,
            manager_id=p.manager_id if p.manager_id in ids else "",
            exclude_ids=tuple(i for i in p.exclude_ids if i in ids),
        )
        for p in people
    ]


@time_machine.travel("2026-03-14 12:00Z", tick=False)
@pytest.mark.parametrize(("fmt", "content_type"), [("csv", "text/csv; charset=utf-8"), ("xlsx", XLSX)])
def test_it_downloads_a_file_with_its_type_and_name(as_manager, program, cohort, fmt, content_type):
    participants_import(cohort=cohort, people=PEOPLE)
    response = export(as_manager, program, fmt)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="grow-together-participants-2026-03-14.{fmt}"'
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_what_was_imported(as_manager, program, cohort, fmt):
    participants_import(cohort=cohort, people=PEOPLE)
    exported = read_back(export(as_manager, program, fmt), fmt)
    assert len(exported) == len(PEOPLE)
    assert by_id(exported) == by_id(PEOPLE)


def test_it_writes_the_header_in_the_documented_order(as_manager, program, cohort):
    participants_import(cohort=cohort, people=closed(PEOPLE[:1]))
    header = next(csv.reader(io.StringIO(export(as_manager, program).content.decode("utf-8-sig"))))
    assert tuple(header) == COLUMNS


def test_it_applies_the_table_filters_to_the_export(as_manager, program, cohort):
    autumn = CohortFactory(program=program)
    participants_import(cohort=cohort, people=closed(PEOPLE[:20]))
    participants_import(cohort=autumn, people=closed(PEOPLE[20:]))
    participants_import(cohort=CohortFactory(), people=PEOPLE)  # another program: never leaks in

    mentors = read_back(export(as_manager, program, query="?role=mentor"))
    assert {p.id for p in mentors} == {p.id for p in PEOPLE if p.role == "mentor"}

    in_autumn = read_back(export(as_manager, program, "xlsx", f"?cohort={autumn.public_id}"), "xlsx")
    assert by_id(in_autumn) == by_id(closed(PEOPLE[20:]))

    both = f"?cohort={cohort.public_id}&role=mentee"
    mentees = read_back(export(as_manager, program, query=both))
    assert {p.id for p in mentees} == {p.id for p in PEOPLE[:20] if p.role == "mentee"}


def test_it_drops_links_to_people_left_out_by_a_filter(as_manager, program, cohort):
    participants_import(cohort=cohort, people=PEOPLE)
    mentors = read_back(export(as_manager, program, query="?role=mentor"))
    ids = {p.id for p in mentors}
    assert all(p.manager_id in ids | {""} for p in mentors)
    assert all(set(p.exclude_ids) <= ids for p in mentors)


def test_it_uses_the_meridian_id_of_people_without_an_hr_id(as_manager, program, cohort):
    enrollment = EnrollmentFactory(cohort=cohort, role="mentor", capacity=2)
    [exported] = read_back(export(as_manager, program))
    assert exported.id == str(enrollment.user.public_id)
    assert (exported.role, exported.capacity, exported.email) == ("mentor", 2, enrollment.user.email)


def test_it_escapes_cells_that_would_run_as_formulas(as_manager, program, cohort):
    user = UserFactory(name='=HYPERLINK("http://evil.example","click")')
    user.profile.title, user.profile.department = "+1+2", "@SUM(A1)"
    user.profile.goals = "-2+3"
    user.profile.save()
    EnrollmentFactory(cohort=cohort, user=user)

    [row] = csv.DictReader(io.StringIO(export(as_manager, program).content.decode("utf-8-sig")))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (row["title"], row["department"], row["goals"]) == ("'+1+2", "'@SUM(A1)", "'-2+3")

    sheet = openpyxl.load_workbook(io.BytesIO(export(as_manager, program, "xlsx").content)).worksheets[0]
    cells = {header.value: cell for header, cell in zip(sheet[1], sheet[2], strict=True)}
    assert cells["name"].value == '\'=HYPERLINK("http://evil.example","click")'
    assert cells["name"].data_type == "s"
    assert cells["title"].value == "'+1+2"


def test_it_exports_a_file_that_reads_back_when_a_person_is_in_two_cohorts(as_manager, program, cohort):
    participants_import(cohort=cohort, people=PEOPLE)
    participants_import(cohort=CohortFactory(program=program), people=closed(PEOPLE[:5]))
    result = read_participants(export(as_manager, program).content)
    assert result.errors == ()
