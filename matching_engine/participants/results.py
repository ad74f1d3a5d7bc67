"""The participant file's columns, and what reading it gives: people, or every problem found."""

from __future__ import annotations

from dataclasses import dataclass

from matching_engine.model import Participant

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
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
