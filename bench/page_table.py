"""Time pages through Django's test client against a trivial view in the same run
(needs Django set up): queries, median milliseconds and the ratio to the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.timing import median_seconds, print_table


def time_pages(client: Client, targets: Sequence[tuple[str, str]], *, title: str, repeat: int) -> None:
    """Print one row a ``(label, url)``; the first target is the baseline (``/healthz``)."""
    rows = []
    baseline = None
    for label, url in targets:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # read now: the next requests reset the query log
        seconds = median_seconds(partial(client.get, url), repeat=repeat)
        baseline = baseline or seconds
        rows.append((label, queries, f"{seconds * 1000:.1f}", f"{seconds / baseline:.1f}x"))
    print_table(
        f"{title} ({connection.vendor}, median of {repeat})", ["request", "queries", "ms", "vs trivial"], rows
    )
