"""``make bench``: run every benchmark and print its table.

    .venv/bin/python -m bench [--quick]

The enrolment pages at 50,000 enrolments, the matching engine (``--quick`` skips its
80,000 x 20,000 case), ``meridian-match`` end to end on a 10,000 x 2,000 file and the
matching pages at 10,000 participants, each in its own process so that one's memory does
not colour another's figures.
"""

from __future__ import annotations

import subprocess
import sys


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    runs = [
        ["bench.pages"],
        ["bench.matching", *(["--quick"] if quick else [])],
        ["bench.matching_cli"],
        ["bench.matching_pages"],
        ["bench.slots"],
        ["bench.importing"],
        ["bench.messages"],
        ["bench.workspace"],
        ["bench.sweep", *(["--count", "20000"] if quick else [])],
        ["bench.health"],
        ["bench.reminders", *(["2000"] if quick else [])],
    ]
    failed = 0
    for args in runs:
        failed |= subprocess.run([sys.executable, "-m", *args], check=False).returncode
    sys.exit(failed)


if __name__ == "__main__":
    main()
