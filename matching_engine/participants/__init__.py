"""Read and write the participant file (``shared/PARTICIPANTS-CSV.md``), CSV or XLSX.

Reading never raises on bad input: every problem becomes a :class:`RowError`
naming the line, the column and the reason, and all of them are reported at
once, so a person fixes the file in one go. A file with any error gives no
people at all.

The steps live in topic modules: ``files`` (bytes into rows of text), ``reading``
(the header and each row into people), ``cells`` (one cell's text into its value),
``checks`` (across rows), ``writing``; ``results`` holds the columns and what reading
gives. openpyxl is imported only for a workbook.
"""

from __future__ import annotations

from matching_engine.participants.reading import read_participants
from matching_engine.participants.results import (
    COLUMNS,
    MAX_FILE_BYTES,
    REQUIRED_COLUMNS,
    ParseResult,
    RowError,
)
from matching_engine.participants.writing import (
    write_participants_csv,
    write_participants_xlsx,
)

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "REQUIRED_COLUMNS",
    "ParseResult",
    "RowError",
    "read_participants",
    "write_participants_csv",
    "write_participants_xlsx",
]
