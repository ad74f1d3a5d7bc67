"""``manage.py import_participants`` end to end: files on disk into a cohort, all rows or none."""

from __future__ import annotations

import io
import pathlib
import re
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command

from matching_engine.availability import format_availability
from matching_engine.demo import generate_people
from matching_engine.model import Participant
from matching_engine.participants import (
    MAX_FILE_BYTES,
    read_participants,
    write_participants_csv,
    write_participants_xlsx,
)
from meridian.accounts.models import Profile, User
from meridian.programs.models import Enrollment
from tests.factories import CohortFactory, EnrollmentFactory, ProfileFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = generate_people(40)

# Every kind of bad row at once, each on a line of its own (the header is line 1).
BAD_FILE = """\
id,role,name,email,time_zone,title,manager_id,seniority,capacity
M1,mentor,Grace Hopper,grace@example.org,America/New_York,Admiral,,9,2
E2,mentee,Ann Zone,ann@example.org,Mars/Olympus,,,,
E3,mentee,Bob Mail,bob-at-example.org,Europe/London,,,,
M1,mentee,Cid Twin,cid@example.org,Europe/London,,,,
E5,mentee,Dee Copy,GRACE@example.org,Europe/London,,,,
E6,mentee,,eve@example.org,Europe/London,,,,
E7,mentee,Fay Formula,fay@example.org,Europe/London,"=HYPERLINK(""http://evil.example"",""x"")",,,
E8,mentee,Gus Rank,gus@example.org,Europe/London,,,11,
E9,mentee,Hal Loop,hal@example.org,Europe/London,,E10,,
E10,mentee,Ida Loop,ida@example.org,Europe/London,,E9,,
"""
BAD_ROWS = [
    (3, "time_zone", '"Mars/Olympus" is not an IANA time zone'),
    (4, "email", '"bob-at-example.org" is not a valid email address'),
    (5, "id", '"M1" is already used on line 2'),
    (6, "email", '"grace@example.org" is already used on line 2'),
    (7, "name", "is required but empty"),
    (8, "title", "would run as a formula"),
    (9, "seniority", '"11" is not a whole number from 1 to 10'),
    (10, "manager_id", "the manager chain loops back to this person: E9 -> E10 -> E9"),
    (11, "manager_id", "the manager chain loops back to this person: E10 -> E9 -> E10"),
]


@pytest.fixture
def cohort():
    return CohortFactory(program=ProgramFactory(slug="grow"), slug="spring-2026")


def counts() -> tuple[int, ...]:
    through = Enrollment.excluded.through
    return (
        User.objects.count(),
        Profile.objects.count(),
        Enrollment.objects.count(),
        through.objects.count(),
    )


def write_file(directory: pathlib.Path, people: list[Participant], fmt: str = "csv") -> pathlib.Path:
    path = directory / f"people.{fmt}"
    if fmt == "csv":
        path.write_text(write_participants_csv(people), encoding="utf-8")
    else:
        path.write_bytes(write_participants_xlsx(people))
    return path


def run(path: pathlib.Path, **options: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    options = {"program": "grow", "cohort": "spring-2026", **options}
    call_command("import_participants", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(path: pathlib.Path, **options: object) -> tuple[str, str]:
    err = io.StringIO()
    options = {"program": "grow", "cohort": "spring-2026", **options}
    with pytest.raises(CommandError) as raised:
        call_command("import_participants", str(path), stdout=io.StringIO(), stderr=err, **options)
    return str(raised.value), err.getvalue()


def assert_enrolled(cohort, people: tuple[Participant, ...]) -> None:
    """Everyone in ``people`` is an approved member of ``cohort`` with the profile of their row."""
    rows = (
        Enrollment.objects.filter(cohort=cohort)
        .select_related("user__profile__manager__profile")
        .prefetch_related("excluded__profile")
    )
    by_id = {e.user.profile.external_id: e for e in rows}
    assert set(by_id) == {p.id for p in people}
    for person in people:
        enrollment = by_id[person.id]
        user, profile = enrollment.user, enrollment.user.profile
        assert (enrollment.role, enrollment.status, enrollment.source, enrollment.capacity) == (
            person.role.value,
            "approved",
            "import",
            person.capacity,
        )
        assert (user.email, user.name, user.time_zone) == (person.email, person.name, person.time_zone)
        assert (profile.title, profile.department, profile.seniority, profile.goals) == (
            person.title,
            person.department,
            person.seniority,
            person.goals,
        )
        assert profile.skills_offered == list(person.skills_offered)
        assert profile.skills_wanted == list(person.skills_wanted)
        assert (profile.languages, profile.interests) == (list(person.languages), list(person.interests))
        assert (profile.values, profile.channels) == (list(person.values), list(person.channels))
        assert profile.availability == format_availability(person.availability)
        manager = profile.manager.profile.external_id if profile.manager else ""
        assert manager == person.manager_id
        assert {u.profile.external_id for u in enrollment.excluded.all()} == set(person.exclude_ids)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_enrols_everyone_of_a_good_file_with_their_profiles(tmp_path, cohort, fmt):
    path = write_file(tmp_path, PEOPLE, fmt)
    expected = read_participants(path.read_bytes(), filename=path.name).people
    assert any(p.manager_id for p in expected)
    assert any(p.exclude_ids for p in expected)

    out, _ = run(path)

    assert_enrolled(cohort, expected)
    mentors = sum(p.role == "mentor" for p in expected)
    assert f"Imported 40 people into {cohort}: {mentors} mentors, {40 - mentors} mentees" in out
    assert "40 new, 0 updated." in out
    first = User.objects.get(email=expected[0].email).profile
    assert first.availability
    assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) .*", first.availability)


def test_it_writes_nothing_on_a_dry_run_but_reports_what_it_would_do(tmp_path, cohort):
    before = counts()
    out, _ = run(write_file(tmp_path, PEOPLE), dry_run=True)
    assert "Would import 40 people" in out
    assert "40 new, 0 updated." in out
    assert counts() == before


def test_it_names_every_bad_row_and_writes_nothing(tmp_path, cohort):
    EnrollmentFactory(cohort=cohort)
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    before = counts()

    message, stderr = run_failing(path)

    assert counts() == before
    assert message == f"{len(BAD_ROWS)} problem(s) in {path}; nothing was imported."
    lines = stderr.splitlines()
    assert len(lines) == len(BAD_ROWS)
    for (line, column, reason), printed in zip(BAD_ROWS, lines, strict=True):
        assert printed.startswith(f"line {line}, {column}: ")
        assert reason in printed


def test_it_names_a_missing_required_column(tmp_path, cohort):
    path = tmp_path / "people.csv"
    path.write_text("id,role,name,email\nE1,mentee,Ann Lee,ann@example.org\n", encoding="utf-8")
    message, stderr = run_failing(path)
    assert "line 1: missing required columns: time_zone" in stderr
    assert "1 problem(s)" in message
    assert counts() == (0, 0, 0, 0)


def test_it_refuses_a_file_that_is_not_utf8_naming_the_line(tmp_path, cohort):
    path = tmp_path / "people.csv"
    text = "id,role,name,email,time_zone\nE1,mentee,Ann Lee,ann@example.org,Europe/Madrid\n"
    path.write_bytes((text + "E2,mentee,José Núñez,jose@example.org,Europe/Madrid\n").encode("latin-1"))
    _, stderr = run_failing(path)
    assert "line 3: the file is not UTF-8 text (byte 0xE9" in stderr
    assert counts() == (0, 0, 0, 0)


def test_it_refuses_an_oversized_file_without_reading_it(tmp_path, cohort, monkeypatch):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: instant, takes no disk

    def no_reading(self: pathlib.Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    message, _ = run_failing(path)
    assert message == f"{path} is 10.0 MB; the limit is 10 MB."


def test_it_refuses_a_file_that_does_not_exist(tmp_path, cohort):
    message, _ = run_failing(tmp_path / "missing.csv")
    assert message.startswith(f"Cannot read {tmp_path / 'missing.csv'}")


@pytest.mark.parametrize(
    ("program", "slug"), [("grow", "no-such-cohort"), ("no-such-program", "spring-2026")]
)
def test_it_refuses_an_unknown_program_or_cohort(tmp_path, cohort, program, slug):
    message, _ = run_failing(write_file(tmp_path, closed(PEOPLE[:5])), program=program, cohort=slug)
    assert message == f"No cohort {slug!r} in a program {program!r}."
    assert counts() == (0, 0, 0, 0)


def test_it_updates_instead_of_duplicating_on_a_second_import(tmp_path, cohort):
    path = write_file(tmp_path, PEOPLE)
    run(path)
    after_first = counts()

    changed = [replace(p, title="Chief Cartographer") if p.id == PEOPLE[3].id else p for p in PEOPLE]
    out, _ = run(write_file(tmp_path, changed))

    assert counts() == after_first
    assert "0 new, 40 updated." in out
    assert Profile.objects.get(external_id=PEOPLE[3].id).title == "Chief Cartographer"
    assert_enrolled(cohort, read_participants(write_participants_csv(changed).encode()).people)


def test_it_refuses_an_email_of_a_person_with_another_hr_id(tmp_path, cohort):
    existing = ProfileFactory(
        external_id="HR-777", user__email=PEOPLE[5].email, user__name="Original Name"
    ).user
    before = counts()

    message, stderr = run_failing(write_file(tmp_path, PEOPLE))

    assert message.startswith("1 problem(s)")
    assert stderr.strip() == (
        f"line 7, id: {PEOPLE[5].email} is already registered with HR id HR-777, not {PEOPLE[5].id}"
    )
    assert counts() == before
    existing.refresh_from_db()
    assert existing.name == "Original Name"
    assert not Enrollment.objects.filter(user=existing).exists()


def test_it_adopts_an_existing_account_without_an_hr_id(tmp_path, cohort):
    existing = UserFactory(email=PEOPLE[0].email)
    out, _ = run(write_file(tmp_path, closed(PEOPLE[:5])))
    assert "4 new, 1 updated." in out
    existing.refresh_from_db()
    assert existing.profile.external_id == PEOPLE[0].id
    assert Enrollment.objects.get(user=existing).status == "approved"


def closed(people: list[Participant]) -> list[Participant]:
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
