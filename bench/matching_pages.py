"""The matching pages at 10,000 participants: queries and median time per request,
against a trivial view (``/healthz``) timed in the same run.

    .venv/bin/python -m bench.matching_pages [PEOPLE]   # default 20,000: 10,000 in the cohort

The demo generator loads the people once into ``var/bench-<PEOPLE>.sqlite3`` (shared
with ``bench.pages``); half of them are the running cohort of "Grow Together", matched here
once (the run is kept for the next time).
"""

from __future__ import annotations

import sys

from bench.pages import setup_django

DEFAULT_PEOPLE = 20_000


def main(people: int = DEFAULT_PEOPLE) -> None:
    setup_django(people)
    from bench.matching_page_timings import measure

    measure()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PEOPLE)
