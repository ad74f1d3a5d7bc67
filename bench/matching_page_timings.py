"""The measuring half of ``bench.matching_pages`` (needs Django set up)."""

from __future__ import annotations

import time
from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import median_seconds, print_table
from meridian.accounts.models import User
from meridian.matching import adapter
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services.runs import run_execute
from meridian.programs.models import Cohort, Enrollment

REPEAT = 15
HEAVY_REPEAT = 3  # pages that score a whole side of the cohort


def _run(cohort: Cohort, manager: User) -> MatchRun:
    run = MatchRun.objects.filter(cohort=cohort, status=RunStatus.DONE).order_by("-number").first()
    if run is not None:
        return run
    started = time.perf_counter()
    run = MatchRun.objects.create(
        cohort=cohort, number=1, created_by=manager, settings=adapter.default_settings(cohort)
    )
    run_execute(run=run)
    run.refresh_from_db()
    took = time.perf_counter() - started
    print(f"Matched the cohort once in {took:.1f} s: {run.matched:,} pairs ({run.status}).")
    return run


def measure() -> None:
    cohort = Cohort.objects.select_related("program").get(status="running", program__slug="grow-together")
    manager = User.objects.get(email="programs@meridian.example")
    members = Enrollment.objects.filter(cohort=cohort, status="approved")
    run = _run(cohort, manager)
    mentee = members.filter(role="mentee").exclude(memberships__is_current=True).order_by("pk").first()
    mentor = members.filter(role="mentor").order_by("pk").first()
    assert mentee is not None
    assert mentor is not None
    as_manager, as_mentee, as_mentor = Client(), Client(), Client()
    as_manager.force_login(manager)
    as_mentee.force_login(mentee.user)
    as_mentor.force_login(mentor.user)
    review = f"/runs/{run.public_id}/"
    mentors_page = f"/cohorts/{cohort.public_id}/mentors/"
    targets = [
        ("trivial view /healthz (baseline)", as_manager, "/healthz", REPEAT),
        (
            "cohort matching page (settings, runs)",
            as_manager,
            f"/cohorts/{cohort.public_id}/matching/",
            REPEAT,
        ),
        ("review page, page 1", as_manager, review, REPEAT),
        ("review page, page 60", as_manager, review + "?page=60", REPEAT),
        ("review page, search 'kumar'", as_manager, review + "?q=kumar", REPEAT),
        ("self-select recommendations (mentee)", as_mentee, mentors_page, HEAVY_REPEAT),
        ("self-select requests (mentor)", as_mentor, "/requests/", REPEAT),
        ("why not / alternatives", as_manager, f"{review}why-not/?mentee={mentee.public_id}", HEAVY_REPEAT),
    ]
    rows: list[tuple[str, object, str, str]] = []
    baseline = 0.0
    for label, client, url, repeat in targets:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)
        seconds = median_seconds(partial(client.get, url), repeat=repeat, warmup=1)
        baseline = baseline or seconds
        rows.append((label, queries, f"{seconds * 1000:.1f}", f"{seconds / baseline:.1f}x"))
    adapter._BUILT.clear()  # the first request after any change builds the cohort's problem
    started = time.perf_counter()
    as_mentee.get(mentors_page)
    cold = time.perf_counter() - started
    rows.append(
        ("recommendations, cold (problem rebuilt)", "-", f"{cold * 1000:.1f}", f"{cold / baseline:.1f}x")
    )
    print_table(
        f"Matching pages at {members.count():,} participants in one cohort "
        f"({run.matched:,} proposed pairs; {connection.vendor}, median)",
        ["request", "queries", "ms", "vs trivial"],
        rows,
    )
