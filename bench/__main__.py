"""``make bench``: run every benchmark and print its table."""

from __future__ import annotations

import sys

from bench import pages


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else pages.DEFAULT_PEOPLE
    pages.main(people)


if __name__ == "__main__":
    main()
