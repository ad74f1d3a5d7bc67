"""The measuring half of ``bench.pages`` (needs Django set up)."""

from __future__ import annotations

from django.test import Client

from bench.page_table import time_pages
from meridian.accounts.models import User
from meridian.programs.models import Enrollment, Program

REPEAT = 25


def measure() -> None:
    program = Program.objects.get(slug="grow-together")
    manager = User.objects.get(email="programs@meridian.example")
    client = Client()
    client.force_login(manager)
    size = Enrollment.objects.filter(cohort__program=program).count()
    base = f"/programs/{program.public_id}/people/"
    api = f"/api/v1/enrollments/?program={program.public_id}"
    targets = [
        ("trivial view /healthz (baseline)", "/healthz"),
        ("enrolment table, page 1", base),
        ("enrolment table, page 500, mentors", base + "?role=mentor&page=500"),
        ("enrolment table, search 'kumar'", base + "?q=kumar"),
        ("API enrolments, page 1", api),
        ("API enrolments, page 200", api + "&page=200"),
    ]
    time_pages(client, targets, title=f"Pages at {size:,} enrolments in one program", repeat=REPEAT)
