"""Reading, step two: the header and each row into people, every problem collected."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from matching_engine.model import Participant, Role
from matching_engine.participants.cells import _FIELDS, _clean
from matching_engine.participants.checks import _cross_check
from matching_engine.participants.files import _read_rows, _Rows, _split_header
from matching_engine.participants.results import (
    COLUMNS,
    MAX_FILE_BYTES,
    REQUIRED_COLUMNS,
    ParseResult,
    RowError,
    _CellError,
    _FileError,
)


def read_participants(
    data: bytes,
    *,
    filename: str = "people.csv",
    ignore_unknown: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
) -> ParseResult:
    """Read a participant file, CSV or XLSX (chosen by ``filename``'s suffix).

    Never raises on bad input: the result holds either the people, or every
    problem found (file, header, cells and references between rows), sorted by
    line. Unknown columns are an error unless ``ignore_unknown``.
    """
    try:
        rows = _read_rows(data, filename, max_bytes)
        header_line, header, body = _split_header(rows)
    except _FileError as exc:
        return ParseResult((), (exc.error,))
    return _parse_table(header_line, header, body, ignore_unknown=ignore_unknown)


def _parse_table(header_line: int, header: list[str], body: _Rows, *, ignore_unknown: bool) -> ParseResult:
    names = _header_names(header)
    positions, errors = _read_header(header_line, names, ignore_unknown=ignore_unknown)
    if not body:
        errors.append(RowError(0, "", "the file has a header row but no people"))
    if any(column not in positions for column in REQUIRED_COLUMNS):
        return ParseResult((), _sorted(errors))
    width = len(names)
    for line, cells in body:
        if len(cells) > width:
            errors.extend(_check_width(line, cells, width))
    lines = [line for line, _ in body]
    texts = _columns(body)
    columns = [
        _read_column(
            column, parse, default, _cells_at(texts, positions.get(column, -1), len(body)), body, errors
        )
        for column, parse, default in _FIELDS
    ]
    people = _people(lines, columns, errors)
    errors.extend(_cross_check(people))
    return ParseResult((), _sorted(errors)) if errors else ParseResult(tuple(people), ())


def _header_names(header: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in header]
    while names and not names[-1]:
        names.pop()
    return names


def _read_header(
    line: int, names: list[str], *, ignore_unknown: bool
) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, name in enumerate(names):
        if name in positions:
            message = f"appears twice (columns {positions[name] + 1} and {index + 1})"
            errors.append(RowError(line, name, message))
        elif name in COLUMNS:
            positions[name] = index
        elif not ignore_unknown:
            errors.append(_unknown_column(line, index, name))
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        errors.append(RowError(line, "", _missing_message(missing, names)))
    return positions, errors


def _unknown_column(line: int, index: int, name: str) -> RowError:
    if not name:
        return RowError(line, "", f"column {index + 1} of the header has no name")
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    hint = f'did you mean "{close[0]}"?' if close else "known columns: " + ", ".join(COLUMNS)
    return RowError(line, name, f'unknown column "{name}"; {hint}')


def _missing_message(missing: list[str], names: list[str]) -> str:
    message = "missing required columns: " + ", ".join(missing)
    if len(names) == 1 and ";" in names[0]:
        message += " (the file seems to use ';' between columns; save it comma-separated)"
    return message


def _check_width(line: int, cells: list[str], width: int) -> list[RowError]:
    if len(cells) <= width:
        return []
    used = max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)
    if used <= width:
        return []
    message = (
        f"this row has {used} cells but the header has {width} columns "
        "(in a CSV file, a cell containing a comma must be in double quotes)"
    )
    return [RowError(line, "", message)]


def _sorted(errors: Iterable[RowError]) -> tuple[RowError, ...]:
    rank = {column: index for index, column in enumerate(COLUMNS)}
    return tuple(sorted(errors, key=lambda e: (e.line, rank.get(e.column, -1))))


# Reading a cell depends on its column and text only, and people share many cells (time
# zones, skills, languages), so a file is read column by column, each distinct text once.
_ROLE, _CAPACITY = COLUMNS.index("role"), COLUMNS.index("capacity")


def _columns(body: _Rows) -> list[tuple[str, ...]]:
    """The rows' cells column by column, short rows padded with empty cells."""
    longest = max((len(cells) for _, cells in body), default=0)
    padded = [cells if len(cells) == longest else cells + [""] * (longest - len(cells)) for _, cells in body]
    return list(zip(*padded, strict=True))


def _cells_at(columns: list[tuple[str, ...]], at: int, rows: int) -> Sequence[str]:
    """The texts of the column at position ``at`` (-1: the file lacks it, every cell empty)."""
    return columns[at] if 0 <= at < len(columns) else ("",) * rows


def _read_column(
    column: str,
    parse: Callable[[str], object],
    default: object,
    texts: Sequence[str],
    body: _Rows,
    errors: list[RowError],
) -> list[Any]:
    """Each row's value in one column; a bad cell reads as ``default`` (so the checks across
    rows skip it), its problem in ``errors``."""
    read = {text: _read_cell(column, parse, text) for text in dict.fromkeys(texts)}
    values = {text: default if problem is not None else value for text, (value, problem) in read.items()}
    if len(values) != sum(problem is None for _, problem in read.values()):
        errors += [
            RowError(line, column, problem)
            for (line, _), text in zip(body, texts, strict=True)
            if (problem := read[text][1]) is not None
        ]
    return list(map(values.__getitem__, texts))


def _people(lines: list[int], columns: list[list[Any]], errors: list[RowError]) -> list[Participant]:
    roles, capacities = columns[_ROLE], columns[_CAPACITY]
    errors += [
        RowError(line, "capacity", "only mentors have a capacity; leave it empty for mentees")
        for line, role, capacity in zip(lines, roles, capacities, strict=True)
        if role is Role.MENTEE and capacity is not None
    ]
    columns[_ROLE] = [role or Role.MENTEE for role in roles]
    columns[_CAPACITY] = [capacity or 1 for capacity in capacities]
    # COLUMNS and then line are Participant's fields, in order.
    return [Participant(*values) for values in zip(*columns, lines, strict=True)]


def _read_cell(column: str, parse: Callable[[str], object], text: str) -> tuple[Any, str | None]:
    """The parsed cell and None, or None and why it is bad."""
    try:
        return parse(_clean(column, text)), None
    except _CellError as exc:
        return None, str(exc)
