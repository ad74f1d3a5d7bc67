"""The code's shape in one table, by an AST pass (standard library only):

    .venv/bin/python -m bench.measures [ROOT]

Over ``meridian/``, ``matching_engine/`` and ``config/`` under ROOT (the current
directory by default), migrations and tests left out: how many files, the median and
90th-percentile file length, the median and 90th-percentile function length (``def``
line to last line, nested functions and methods counted on their own), how many
functions are over 50 lines, and the largest module.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGES = ("meridian", "matching_engine", "config")
LONG = 50


def source_files(root: Path) -> list[Path]:
    """The Python files measured: no migrations, no tests, no conftest."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith(("test_", "conftest")):
                continue
            found.append(path)
    return found


def function_lengths(tree: ast.AST) -> list[int]:
    return [
        node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
    ]


def p90(values: list[int]) -> int:
    return round(statistics.quantiles(values, n=10, method="inclusive")[-1])


def measure(root: Path) -> list[tuple[str, str]]:
    files = source_files(root)
    file_lines: dict[str, int] = {}
    functions: list[int] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        file_lines[str(path.relative_to(root))] = len(text.splitlines())
        functions += function_lengths(ast.parse(text, filename=str(path)))
    lengths = list(file_lines.values())
    largest = max(file_lines, key=lambda name: file_lines[name])
    return [
        ("files", str(len(files))),
        ("lines in all", str(sum(lengths))),
        ("file lines, median", f"{statistics.median(lengths):g}"),
        ("file lines, p90", str(p90(lengths))),
        ("functions", str(len(functions))),
        ("function lines, median", f"{statistics.median(functions):g}"),
        ("function lines, p90", str(p90(functions))),
        (f"functions over {LONG} lines", str(sum(n > LONG for n in functions))),
        ("largest module", f"{largest} ({file_lines[largest]} lines)"),
    ]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    rows = measure(root)
    width = max(len(label) for label, _ in rows)
    print(f"Measures of {', '.join(PACKAGES)} (migrations and tests left out)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
