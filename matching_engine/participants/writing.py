"""Writing the participant file, CSV or XLSX; reading it back gives equal people."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from matching_engine.availability import format_availability
from matching_engine.model import Participant, Role
from matching_engine.participants.results import _FORMULA_STARTS, COLUMNS


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
    import openpyxl  # only for a workbook: importing it costs a fifth of a second

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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
