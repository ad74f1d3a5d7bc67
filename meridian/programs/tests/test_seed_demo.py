"""``manage.py seed_demo``: the demo organisation, loaded through the real import."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching_engine.participants import read_participants
from meridian.accounts.models import Profile, User
from meridian.programs.models import Cohort, Enrollment, Program

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]

ZONES = {
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Sao_Paulo",
}


def seed(**options: object) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def snapshot() -> tuple[object, ...]:
    return (
        list(Program.objects.order_by("pk").values_list("pk", "slug", "updated_at")),
        list(Cohort.objects.order_by("pk").values_list("pk", "slug", "status", "updated_at")),
        list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        list(Enrollment.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        Profile.objects.count(),
    )


def printed_logins(out: str) -> dict[str, str]:
    rows = re.findall(r"^  (administrator|program manager|mentor|mentee)\s+(\S+@\S+)$", out, re.MULTILINE)
    return dict(rows)


def test_it_seeds_two_programs_three_cohorts_and_four_working_logins():
    out = seed(people=300)

    assert Program.objects.count() == 2
    assert sorted(Cohort.objects.values_list("status", flat=True)) == ["closed", "open", "open", "running"]
    people = User.objects.exclude(email__endswith="@meridian.example")
    assert people.count() == 300
    finished = Cohort.objects.get(status="closed")
    assert Enrollment.objects.exclude(cohort=finished).count() == 300
    returning = Enrollment.objects.filter(cohort=finished).values_list("user_id", flat=True)
    assert 0 < len(returning) < 300
    assert "Loaded 300 people" in out
    assert "password: meridian-demo" in out

    logins = printed_logins(out)
    assert set(logins) == {"administrator", "program manager", "mentor", "mentee"}
    admin = User.objects.get(email=logins["administrator"])
    assert admin.is_staff
    assert admin.check_password("meridian-demo")
    manager = User.objects.get(email=logins["program manager"])
    assert set(manager.managed_programs.all()) == set(Program.objects.all())
    running = Cohort.objects.get(status="running")
    for role in ("mentor", "mentee"):
        user = User.objects.get(email=logins[role])
        enrollment = Enrollment.objects.get(user=user, cohort=running)
        assert (enrollment.role, enrollment.status) == (role, "approved")
        assert user.check_password("meridian-demo")

    zones = set(people.values_list("time_zone", flat=True))
    assert len(zones) >= 12
    assert zones >= ZONES

    upcoming = Cohort.objects.get(status="open", program__slug="grow-together")
    waiting = Enrollment.objects.filter(cohort=upcoming, status="applied", source="application")
    assert 0 < waiting.count() < upcoming.enrollments.count()
    assert Enrollment.objects.filter(cohort=running).exclude(status="approved").count() == 0


def test_it_changes_nothing_when_seeded_again_with_if_empty():
    seed(people=60, if_empty=True)
    before = snapshot()

    out = seed(people=60, if_empty=True)

    assert snapshot() == before
    assert "already has programs; demo data left as it is." in out
    assert set(printed_logins(out)) == {"administrator", "program manager", "mentor", "mentee"}


def test_it_writes_a_participant_file_and_loads_nothing_with_csv_only(tmp_path):
    path = tmp_path / "people.csv"

    out = seed(people=120, csv=path, csv_only=True)

    result = read_participants(path.read_bytes(), filename=path.name)
    assert result.errors == ()
    assert len(result.people) == 120
    assert f"Wrote 120 people to {path}" in out
    assert (Program.objects.count(), User.objects.count(), Enrollment.objects.count()) == (0, 0, 0)


def test_it_says_there_are_no_demo_logins_in_a_database_without_the_demo(tmp_path):
    Program.objects.create(name="Real", slug="real", starts_on="2026-01-01", ends_on="2026-06-30")
    out = seed(if_empty=True)
    assert "No demo organisation is loaded here" in out
    assert Program.objects.count() == 1


def test_it_refuses_to_seed_twice_with_a_message():
    seed(people=20)
    before = snapshot()
    with pytest.raises(CommandError, match="already"):
        seed(people=20)
    assert snapshot() == before


def _manage_without_a_key(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` as the README runs it on a fresh checkout: no SECRET_KEY, no DEBUG,
    and a database that cannot be opened (its folder does not exist)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_csv_only_runs_without_a_secret_key_and_opens_no_database(tmp_path):
    result = _manage_without_a_key(
        tmp_path, "seed_demo", "--people", "30", "--csv", "people.csv", "--csv-only"
    )

    assert result.returncode == 0, result.stderr
    assert "Wrote 30 people to people.csv" in result.stdout
    written = read_participants((tmp_path / "people.csv").read_bytes(), filename="people.csv")
    assert written.errors == ()
    assert len(written.people) == 30
    assert not (tmp_path / "missing").exists()


def test_loading_the_demo_still_needs_a_secret_key(tmp_path):
    result = _manage_without_a_key(tmp_path, "seed_demo", "--people", "30")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
