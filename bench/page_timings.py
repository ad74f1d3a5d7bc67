"""The measuring half of ``bench.pages`` (needs Django set up)."""

from __future__ import annotations

from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import median_seconds, print_table
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
    rows = []
    baseline = None
    for label, url in targets:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # read now: the next requests reset the query log
        seconds = median_seconds(partial(client.get, url), repeat=REPEAT)
        baseline = baseline or seconds
        rows.append((label, queries, f"{seconds * 1000:.1f}", f"{seconds / baseline:.1f}x"))
    print_table(
        f"Pages at {size:,} enrolments in one program ({connection.vendor}, median of {REPEAT})",
        ["request", "queries", "ms", "vs trivial"],
        rows,
    )
