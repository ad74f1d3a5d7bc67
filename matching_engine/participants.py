"""Read and write the participant file (``shared/PARTICIPANTS-CSV.md``), CSV or XLSX.

Reading never raises on bad input: every problem becomes a :class:`RowError`
naming the line, the column and the reason, and all of them are reported at
once, so a person fixes the file in one go. A file with any error gives no
people at all.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar, cast

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from matching_engine.availability import (
    AvailabilityError,
    format_availability,
    parse_availability,
)
from matching_engine.languages import ISO_639_1
from matching_engine.model import CHANNELS, Participant, Role, Window

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_FILE_BYTES = 10 * 1024 * 1024
COLUMNS: tuple[str, ...] = (
    "id",
    "role",
    "name",
    "email",
    "time_zone",
    "availability",
    "title",
    "department",
    "manager_id",
    "seniority",
    "languages",
    "skills_offered",
    "skills_wanted",
    "interests",
    "values",
    "goals",
    "channels",
    "capacity",
    "exclude_ids",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "role", "name", "email", "time_zone")

T = TypeVar("T")
_Rows = list[tuple[int, list[str]]]  # (line in the file, raw cells)

_MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003, and password-protected XLSX
_CSV_SUFFIXES = frozenset({".csv", ".txt", ""})
# A hostile workbook can declare 16384 columns or pack a huge sheet into a
# small zip; these bound the work done before any row is checked.
_XLSX_MAX_COLUMNS = 256
_XLSX_UNPACKED_FACTOR = 20  # sheet XML of people compresses about 13:1
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MULTILINE_COLUMNS = frozenset({"goals"})
_ADDRESS_PART = r'[^\s@<>()\[\],;:"\\]+'
_DOMAIN_LABEL = r'[^\s@<>()\[\],;:"\\.]+'
_EMAIL = re.compile(rf"{_ADDRESS_PART}@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+")
_OFFSET = re.compile(
    r"(?:etc/)?(?:utc|gmt|ut|z)?\s*[+\-\u2212]?\s*[0-9]{1,2}(?::?[0-9]{2})?",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"[0-9]{1,9}")
_MAX_ID = 100
_MAX_EMAIL = 254
_MAX_ITEM = 100
_MAX_ITEMS = 50
_OWN_MANAGER = "is the person's own id; a person cannot be their own manager"


@dataclass(frozen=True)
class RowError:
    """One problem in the file: ``line`` is 1-based (header = 1, 0 = whole file)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        place = ", ".join(p for p in (f"line {self.line}" * bool(self.line), self.column) if p)
        return f"{place}: {self.message}" if place else self.message


@dataclass(frozen=True)
class ParseResult:
    """The people of a file, or (never both) every problem found in it."""

    people: tuple[Participant, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        """True when the file had no problems."""
        return not self.errors


class _FileError(Exception):
    """A problem that stops reading the whole file."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.error = RowError(line, "", message)


class _CellError(ValueError):
    """A bad cell; the message is shown to the person fixing the file."""


# --- reading: the file into rows -------------------------------------------------


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


def _read_rows(data: bytes, filename: str, max_bytes: int) -> _Rows:
    if len(data) > max_bytes:
        size, limit = _size(len(data), up=True), _size(max_bytes, up=False)
        raise _FileError(f"the file is {size}; the limit is {limit}")
    if not data:
        raise _FileError("the file is empty")
    if _file_kind(data, filename) == "xlsx":
        return _xlsx_rows(data, max_bytes)
    return _csv_rows(_decode(data))


def _size(size: int, *, up: bool) -> str:
    if size < _MB // 10:
        return f"{size} bytes"
    tenths = math.ceil(size * 10 / _MB) if up else size * 10 // _MB
    return f"{tenths / 10:g} MB"


def _file_kind(data: bytes, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        _check_xlsx_magic(data)
        return "xlsx"
    if suffix not in _CSV_SUFFIXES:
        raise _FileError(f'unsupported file type "{suffix}"; save the file as CSV UTF-8 or .xlsx')
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _FileError(
            "the file is an Excel workbook or another binary file, not CSV text; "
            "name it .xlsx, or save it as CSV UTF-8"
        )
    return "csv"


def _check_xlsx_magic(data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise _FileError(
            "the file is an old Excel 97-2003 workbook or is password-protected; "
            "save it as an unprotected .xlsx or as CSV UTF-8"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _FileError("the file is named .xlsx but is not an Excel workbook")


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _FileError(
            f'the file is not UTF-8 text (byte 0x{data[exc.start]:02X} on this line); save it as "CSV UTF-8"',
            line=_line_of(data, exc.start),
        ) from None
    return text.removeprefix("\ufeff")


def _line_of(data: bytes, offset: int) -> int:
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _csv_rows(text: str) -> _Rows:
    # newline="" keeps line breaks inside quoted cells; line_num then counts
    # physical lines, so a row's line is one after the previous row's last.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: _Rows = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _FileError(
            f"the file is not valid CSV ({exc}); a cell with a comma, quote or line "
            'break must be in double quotes, with quotes inside it doubled ("")',
            line=reader.line_num,
        ) from None
    return rows


def _xlsx_rows(data: bytes, max_bytes: int) -> _Rows:
    _check_unpacked_size(data, max_bytes)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        raise _FileError("the file is not a valid .xlsx workbook") from None
    try:
        return _sheet_rows(workbook.worksheets)
    except _FileError:
        raise
    except Exception:
        raise _FileError("the workbook's first sheet cannot be read") from None
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # zipfile raises many kinds of error on a damaged file
        raise _FileError("the file is not a valid .xlsx workbook") from None
    limit = max_bytes * _XLSX_UNPACKED_FACTOR
    if unpacked > limit:
        size, most = _size(unpacked, up=True), _size(limit, up=False)
        raise _FileError(f"the workbook unpacks to {size}; the limit is {most}")


def _sheet_rows(sheets: Sequence[object]) -> _Rows:
    if not sheets or not isinstance(sheets[0], ReadOnlyWorksheet):
        raise _FileError("the workbook has no worksheet")
    sheet = sheets[0]
    sheet.reset_dimensions()  # trust the cells, not the declared size
    # cast: types-openpyxl declares iter_rows for Worksheet only; it is shared.
    values = cast("Worksheet", sheet).iter_rows(max_col=_XLSX_MAX_COLUMNS, values_only=True)
    rows: _Rows = []
    width = 0
    for line, row in enumerate(values, 1):
        width = width or _used_width(row)  # the first row with a value is the header
        # Rows come padded to _XLSX_MAX_COLUMNS: convert only up to the header's
        # width, unless the row holds more (then _check_width reports it).
        beyond = row[width:].count(None) < len(row) - width
        rows.append((line, [_xlsx_text(v) for v in row[: _used_width(row) if beyond else width]]))
    return rows


def _used_width(row: Sequence[object]) -> int:
    return next((len(row) - i for i, value in enumerate(reversed(row)) if value is not None), 0)


def _xlsx_text(value: object) -> str:
    """A cell value as the text a CSV export of the sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(rows: _Rows) -> tuple[int, list[str], _Rows]:
    filled = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not filled:
        raise _FileError("the file is empty")
    (header_line, header), *body = filled
    return header_line, header, body


# --- reading: the header ---------------------------------------------------------


def _parse_table(header_line: int, header: list[str], body: _Rows, *, ignore_unknown: bool) -> ParseResult:
    names = _header_names(header)
    positions, errors = _read_header(header_line, names, ignore_unknown=ignore_unknown)
    if not body:
        errors.append(RowError(0, "", "the file has a header row but no people"))
    if any(column not in positions for column in REQUIRED_COLUMNS):
        return ParseResult((), _sorted(errors))
    people: list[Participant] = []
    readers: list[_Reader] = [
        (column, parse, default, positions.get(column, -1), {}) for column, parse, default in _FIELDS
    ]
    for line, cells in body:
        errors.extend(_check_width(line, cells, len(names)))
        person, row_errors = _parse_row(line, cells, readers)
        people.append(person)
        errors.extend(row_errors)
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


# --- reading: one row ------------------------------------------------------------


# A column's reader: its name, parser, the value a bad cell reads as, its position in the
# file's rows (-1: not in the file), and each raw text already read there: its value, or why
# it is bad. Reading a cell depends on its column and text only, and people share many
# cells (time zones, skills, languages), so each distinct text is read once per file.
_Reader = tuple[str, Callable[[str], object], object, int, dict[str, tuple[Any, str | None]]]
_ROLE, _CAPACITY = COLUMNS.index("role"), COLUMNS.index("capacity")


def _parse_row(line: int, cells: list[str], readers: list[_Reader]) -> tuple[Participant, list[RowError]]:
    # Bad cells read as empty defaults, so the checks across rows skip them.
    errors: list[RowError] = []
    values: list[Any] = []
    width = len(cells)
    for column, parse, default, at, seen in readers:
        text = cells[at] if 0 <= at < width else ""
        found = seen.get(text)
        if found is None:
            found = seen[text] = _read_cell(column, parse, text)
        value, problem = found
        if problem is not None:
            errors.append(RowError(line, column, problem))
            value = default
        values.append(value)
    role, capacity = values[_ROLE], values[_CAPACITY]
    if role is Role.MENTEE and capacity is not None:
        errors.append(RowError(line, "capacity", "only mentors have a capacity; leave it empty for mentees"))
    values[_ROLE], values[_CAPACITY] = role or Role.MENTEE, capacity or 1
    values.append(line)
    return Participant(*values), errors  # COLUMNS and then line are Participant's fields, in order


def _read_cell(column: str, parse: Callable[[str], object], text: str) -> tuple[Any, str | None]:
    """The parsed cell and None, or None and why it is bad."""
    try:
        return parse(_clean(column, text)), None
    except _CellError as exc:
        return None, str(exc)


# --- reading: one cell -----------------------------------------------------------


def _clean(column: str, raw: str) -> str:
    """The trimmed cell, refusing what a spreadsheet would run or XML cannot hold."""
    if not raw:
        return raw
    if column != "time_zone":  # an offset like +05:30 deserves the time-zone hint
        _refuse_formula(raw)
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    control = _CONTROL.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        raise _CellError(f"contains an invisible control character ({code}); remove it")
    if "\n" in text and column not in _MULTILINE_COLUMNS:
        raise _CellError("contains a line break; keep it on one line")
    return text


def _refuse_formula(text: str) -> None:
    lead = text[:1] if text.startswith(("\t", "\r")) else text.lstrip()[:1]
    if lead and lead in _FORMULA_STARTS:
        shown = {"\t": "a tab", "\r": "a carriage return"}.get(lead, f"'{lead}'")
        raise _CellError(
            f"starts with {shown} and would run as a formula in a spreadsheet; remove the leading character"
        )


def _required(parse: Callable[[str], T]) -> Callable[[str], T]:
    def parse_required(text: str) -> T:
        if not text:
            raise _CellError("is required but empty")
        return parse(text)

    return parse_required


def _text(limit: int) -> Callable[[str], str]:
    def parse_text(text: str) -> str:
        if len(text) > limit:
            raise _CellError(f"is {len(text)} characters long; the limit is {limit}")
        return text

    return parse_text


_required_id = _required(_text(_MAX_ID))


def _role(text: str) -> Role | None:
    try:
        return Role(text.lower())
    except ValueError:
        shown = f'"{text}" is not a role' if text else "is required but empty"
        raise _CellError(f"{shown}; use mentor or mentee") from None


def _email(text: str) -> str:
    if not text:
        raise _CellError("is required but empty")
    if len(text) > _MAX_EMAIL:
        raise _CellError(f"is {len(text)} characters long; the limit is {_MAX_EMAIL}")
    if not _EMAIL.fullmatch(text):
        raise _CellError(f'"{text}" is not a valid email address')
    return text.lower()


def _time_zone(text: str) -> str:
    if not text:
        raise _CellError("is required but empty")
    name = None if _OFFSET.fullmatch(text) else _zone_names().get(text.lower())
    if name is None:
        raise _CellError(f'"{text}" is not an IANA time zone ({_zone_hint(text)})')
    return name


@functools.cache
def _zone_names() -> dict[str, str]:
    # available_timezones() walks the zone database: slow, so done once.
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _zone_hint(text: str) -> str:
    if not _OFFSET.fullmatch(text):
        close = difflib.get_close_matches(text.lower(), _zone_names(), n=1)
        if close:
            return f"did you mean {_zone_names()[close[0]]}?"
    return "use a name such as Europe/Berlin"


def _availability(text: str) -> tuple[Window, ...]:
    try:
        return parse_availability(text)
    except AvailabilityError as exc:
        raise _CellError(str(exc)) from None


def _integer(low: int, high: int) -> Callable[[str], int | None]:
    def parse_integer(text: str) -> int | None:
        if not text:
            return None
        if not _INTEGER.fullmatch(text) or not low <= int(text) <= high:
            raise _CellError(f'"{text}" is not a whole number from {low} to {high}')
        return int(text)

    return parse_integer


def _items(text: str, key: Callable[[str], str] = str) -> tuple[str, ...]:
    """Split a ``;``-list: trimmed, empties dropped, duplicates (by ``key``) removed."""
    unique: dict[str, str] = {}
    for item in (part.strip() for part in text.split(";")):
        if item:
            unique.setdefault(key(item), item)
    items = tuple(unique.values())
    if len(items) > _MAX_ITEMS:
        raise _CellError(f"has {len(items)} items; the limit is {_MAX_ITEMS}")
    for item in items:
        if len(item) > _MAX_ITEM:
            raise _CellError(
                f'item "{item[:30]}..." is {len(item)} characters long; the limit is {_MAX_ITEM}'
            )
    for number, item in enumerate(items, start=1):
        # Every item, not only the first: an item may start a cell of its own wherever
        # the list is split again (an export per skill, a pasted column).
        try:
            _refuse_formula(item)
        except _CellError as exc:
            raise _CellError(f'item {number} ("{item[:30]}") {exc}') from None
    return items


def _phrases(text: str) -> tuple[str, ...]:
    return _items(text, key=str.casefold)  # phrases are matched ignoring case


def _languages(text: str) -> tuple[str, ...]:
    codes = _items(text.lower())
    bad = [code for code in codes if code not in ISO_639_1]
    if bad:
        shown = ", ".join(f'"{code}"' for code in bad)
        raise _CellError(f"{shown}: not ISO 639-1 language codes (use two letters such as en; es)")
    return codes


def _channels(text: str) -> tuple[str, ...]:
    channels = _items(text.lower())
    bad = [channel for channel in channels if channel not in CHANNELS]
    if bad:
        shown = ", ".join(f'"{channel}"' for channel in bad)
        raise _CellError(f"{shown}: not a channel (use {', '.join(CHANNELS)})")
    return channels


# Each column's reader and the value a bad cell reads as, in the order of COLUMNS.
_FIELDS: tuple[tuple[str, Callable[[str], object], object], ...] = (
    ("id", _required_id, ""),
    ("role", _role, None),
    ("name", _required(_text(200)), ""),
    ("email", _email, ""),
    ("time_zone", _time_zone, ""),
    ("availability", _availability, ()),
    ("title", _text(200), ""),
    ("department", _text(200), ""),
    ("manager_id", _text(_MAX_ID), ""),
    ("seniority", _integer(1, 10), None),
    ("languages", _languages, ()),
    ("skills_offered", _phrases, ()),
    ("skills_wanted", _phrases, ()),
    ("interests", _phrases, ()),
    ("values", _phrases, ()),
    ("goals", _text(2000), ""),
    ("channels", _channels, ()),
    ("capacity", _integer(1, 50), None),
    ("exclude_ids", _items, ()),
)
assert tuple(column for column, *_ in _FIELDS) == COLUMNS
assert tuple(f.name for f in fields(Participant)) == (*COLUMNS, "line")


# --- reading: checks across rows -------------------------------------------------


def _cross_check(people: Sequence[Participant]) -> list[RowError]:
    ids = {person.id for person in people if person.id}
    return [
        *_duplicates(people, "id", lambda person: person.id),
        *_duplicates(people, "email", lambda person: person.email),
        *_manager_errors(people, ids),
        *_cycle_errors(people),
        *_exclude_errors(people, ids),
    ]


def _duplicates(
    people: Sequence[Participant], column: str, key: Callable[[Participant], str]
) -> list[RowError]:
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for person in people:
        value = key(person)
        if value in first:
            message = f'"{value}" is already used on line {first[value]}'
            errors.append(RowError(person.line, column, message))
        elif value:
            first[value] = person.line
    return errors


def _manager_errors(people: Sequence[Participant], ids: set[str]) -> list[RowError]:
    errors: list[RowError] = []
    for person in people:
        manager = person.manager_id
        if manager and manager == person.id:
            errors.append(RowError(person.line, "manager_id", _OWN_MANAGER))
        elif manager and manager not in ids:
            message = f'no row has the id "{manager}"; the manager must be in the file'
            errors.append(RowError(person.line, "manager_id", message))
    return errors


def _cycle_errors(people: Sequence[Participant]) -> list[RowError]:
    manager_of: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for person in people:
        if person.id and person.id not in manager_of:
            manager_of[person.id] = person.manager_id
            line_of[person.id] = person.line
    errors: list[RowError] = []
    for loop in _loops(manager_of):
        for index, member in enumerate(loop):
            chain = _chain_text(loop[index:] + loop[:index])
            message = f"the manager chain loops back to this person: {chain}"
            errors.append(RowError(line_of[member], "manager_id", message))
    return errors


def _loops(manager_of: dict[str, str]) -> list[list[str]]:
    """Each cycle of two or more people in the id -> manager id graph, once."""
    done: set[str] = set()
    loops: list[list[str]] = []
    for start in manager_of:
        path: dict[str, int] = {}  # id -> position, in walking order
        node = start
        while node in manager_of and node not in done and node not in path:
            path[node] = len(path)
            node = manager_of[node]
        if node in path and len(path) - path[node] > 1:
            loops.append(list(path)[path[node] :])
        done.update(path)
    return loops


def _chain_text(loop: list[str], shown: int = 5) -> str:
    names = loop[:shown] + (["..."] if len(loop) > shown else [])
    return " -> ".join([*names, loop[0]])


def _exclude_errors(people: Sequence[Participant], ids: set[str]) -> list[RowError]:
    errors: list[RowError] = []
    for person in people:
        for other in person.exclude_ids:
            if other == person.id:
                errors.append(RowError(person.line, "exclude_ids", "lists the person's own id"))
            elif other not in ids:
                message = f'no row has the id "{other}"'
                errors.append(RowError(person.line, "exclude_ids", message))
    return errors


# --- writing ---------------------------------------------------------------------


def write_participants_csv(people: Iterable[Participant]) -> str:
    """The people as participant-file CSV text (header and all columns).

    Encode it as UTF-8; ``read_participants`` reads it back to equal people.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_export_row(person) for person in people)
    return buffer.getvalue()


def write_participants_xlsx(people: Iterable[Participant]) -> bytes:
    """The people as an .xlsx workbook with one sheet, laid out as the CSV."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("participants")
    sheet.append(COLUMNS)
    for person in people:
        sheet.append([_xml_safe(value) for value in _export_row(person)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_row(person: Participant) -> list[str | int | None]:
    values: dict[str, str | int | None] = {
        "id": person.id,
        "role": person.role.value,
        "name": person.name,
        "email": person.email,
        "time_zone": person.time_zone,
        "availability": format_availability(person.availability),
        "title": person.title,
        "department": person.department,
        "manager_id": person.manager_id,
        "seniority": person.seniority,
        "languages": "; ".join(person.languages),
        "skills_offered": "; ".join(person.skills_offered),
        "skills_wanted": "; ".join(person.skills_wanted),
        "interests": "; ".join(person.interests),
        "values": "; ".join(person.values),
        "goals": person.goals,
        "channels": "; ".join(person.channels),
        "capacity": person.capacity if person.role is Role.MENTOR else None,
        "exclude_ids": "; ".join(person.exclude_ids),
    }
    return [_escape_formula(values[column]) for column in COLUMNS]


def _escape_formula(value: str | int | None) -> str | int | None:
    # OWASP: a leading apostrophe makes a spreadsheet show the cell as text.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _xml_safe(value: str | int | None) -> str | int | None:
    # Text that did not come through the reader may hold characters XML cannot.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
