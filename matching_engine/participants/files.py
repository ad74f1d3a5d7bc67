"""Reading, step one: the file's bytes (CSV or XLSX) into rows of text cells, and the header row."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, cast

from matching_engine.participants.results import _FileError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


_Rows = list[tuple[int, list[str]]]  # (line in the file, raw cells)
_MB = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003, and password-protected XLSX
_CSV_SUFFIXES = frozenset({".csv", ".txt", ""})


# A hostile workbook can declare 16384 columns or pack a huge sheet into a
# small zip; these bound the work done before any row is checked.
_XLSX_MAX_COLUMNS = 256
_XLSX_UNPACKED_FACTOR = 20  # sheet XML of people compresses about 13:1


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
    import openpyxl  # only for a workbook: importing it costs a fifth of a second

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
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

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
