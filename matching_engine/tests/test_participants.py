from __future__ import annotations

import csv
import io
import re
import time
import zipfile
import zoneinfo
from collections.abc import Sequence

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from matching_engine.availability import merge_windows
from matching_engine.languages import ISO_639_1
from matching_engine.model import CHANNELS, Participant, Role, Window
from matching_engine.participants import (
    COLUMNS,
    MAX_FILE_BYTES,
    REQUIRED_COLUMNS,
    ParseResult,
    RowError,
    read_participants,
    write_participants_csv,
    write_participants_xlsx,
)

HEADER = "id,role,name,email,time_zone"
ANN = "1,mentor,Ann Lee,ann@example.com,Europe/Berlin"
BOB = "2,mentee,Bob Roy,bob@example.com,Asia/Kolkata"

GOOD = """\
id,role,name,email,time_zone,availability,title,department,manager_id,seniority,languages,\
skills_offered,skills_wanted,interests,values,goals,channels,capacity,exclude_ids
1042,mentor, Ann Lee ,Ann.Lee@Example.COM,Europe/Berlin,Mon 09:00-12:00; wed 14:00-17:30,\
Head of Data,Data,,8,EN; de,Python; SQL; python,,Climbing,Candour,"Help people grow
into leads",video; Phone,3,2077
2077,mentee,Bob Roy,bob@example.com,Asia/Kolkata,,Analyst,Data,1042,2,en,,Python,,,Learn SQL,email,,
"""


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def read_csv(*lines: str, **options) -> ParseResult:
    return read_participants(csv_bytes(*lines), **options)


def errors_of(result: ParseResult) -> list[tuple[int, str, str]]:
    assert not result.people
    return [(e.line, e.column, e.message) for e in result.errors]


def one_error(result: ParseResult) -> RowError:
    assert not result.people
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- a good file ---------------------------------------------------------------


def test_it_reads_a_good_file_fully():
    result = read_participants(GOOD.encode())
    assert result.ok
    assert result.errors == ()
    ann, bob = result.people
    assert ann == Participant(
        id="1042",
        role=Role.MENTOR,
        name="Ann Lee",
        email="ann.lee@example.com",
        time_zone="Europe/Berlin",
        availability=(Window(0, 540, 720), Window(2, 840, 1050)),
        title="Head of Data",
        department="Data",
        seniority=8,
        languages=("en", "de"),
        skills_offered=("Python", "SQL"),
        interests=("Climbing",),
        values=("Candour",),
        goals="Help people grow\ninto leads",
        channels=("video", "phone"),
        capacity=3,
        exclude_ids=("2077",),
    )
    assert bob.manager_id == "1042"
    assert bob.capacity == 1
    assert bob.skills_wanted == ("Python",)
    assert (ann.line, bob.line) == (2, 4)


def test_it_reads_columns_in_any_order_and_header_case():
    result = read_csv("Time_Zone, EMAIL ,name,role,id", "Europe/Berlin,a@b.io,A,mentor,7")
    assert result.people == (Participant("7", Role.MENTOR, "A", "a@b.io", "Europe/Berlin"),)


def test_it_canonicalises_the_case_of_a_time_zone():
    result = read_csv(HEADER, "1,mentor,A,a@b.io,america/new_york")
    assert result.people[0].time_zone == "America/New_York"


def test_it_defaults_a_mentors_capacity_to_one():
    result = read_csv(HEADER + ",capacity", ANN + ",")
    assert result.people[0].capacity == 1


def test_it_trims_lists_drops_empties_and_duplicates_keeping_order():
    result = read_csv(
        HEADER + ",skills_offered,exclude_ids,languages",
        ANN + ",  Go ;; SQL; go ; Rust;  ,2; 2 ;,ES;en; es",
        BOB + ",,,",
    )
    ann = result.people[0]
    assert ann.skills_offered == ("Go", "SQL", "Rust")
    assert ann.exclude_ids == ("2",)
    assert ann.languages == ("es", "en")


def test_it_skips_blank_lines_and_keeps_physical_line_numbers():
    result = read_csv(HEADER, "", ANN, ",,,,", BOB)
    assert [p.line for p in result.people] == [3, 5]


def test_it_accepts_a_utf8_byte_order_mark():
    result = read_participants(b"\xef\xbb\xbf" + csv_bytes(HEADER, ANN))
    assert result.ok
    assert result.people[0].id == "1"


def test_it_accepts_crlf_and_trailing_empty_cells():
    data = (HEADER + ",,\r\n" + ANN + ",,\r\n").encode()
    assert read_participants(data).ok


def test_it_reads_unicode_text():
    result = read_csv(HEADER, "1,mentor,Zoë Ōtake 李,zoe@example.com,Asia/Tokyo")
    assert result.people[0].name == "Zoë Ōtake 李"


# --- file-level problems -------------------------------------------------------


def test_it_refuses_a_50_mb_file_quickly_without_parsing():
    data = b"\xff" * (50 * 1024 * 1024)
    started = time.perf_counter()
    error = one_error(read_participants(data))
    assert time.perf_counter() - started < 0.5
    assert error == RowError(0, "", "the file is 50 MB; the limit is 10 MB")


def test_it_applies_a_smaller_limit_when_asked():
    error = one_error(read_participants(csv_bytes(HEADER, ANN), max_bytes=20))
    assert error.message == "the file is 76 bytes; the limit is 20 bytes"
    assert MAX_FILE_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b" , ,\r\n"])
def test_it_refuses_an_empty_file(data):
    assert one_error(read_participants(data)) == RowError(0, "", "the file is empty")


def test_it_refuses_latin1_naming_the_line():
    data = csv_bytes(HEADER, ANN, "3,mentee,José,jose@example.com,Europe/Madrid").decode()
    error = one_error(read_participants(data.encode("latin-1")))
    assert error.line == 3
    assert "not UTF-8" in error.message
    assert "0xE9" in error.message


def test_it_refuses_a_header_without_people():
    error = one_error(read_csv(HEADER))
    assert error == RowError(0, "", "the file has a header row but no people")


def test_it_names_the_missing_required_columns():
    error = one_error(read_csv("id,name,role", "1,A,mentor"))
    assert error == RowError(1, "", "missing required columns: email, time_zone")


def test_it_hints_at_semicolon_separated_files():
    result = read_participants(b"id;role;name;email;time_zone\n1;mentor;A;a@b.io;UTC\n")
    assert any("seems to use ';'" in e.message for e in result.errors)


def test_it_refuses_unknown_columns_suggesting_a_close_name():
    result = read_csv(HEADER + ",e-mail,shoe size", ANN + ",x,42")
    assert errors_of(result) == [
        (1, "e-mail", 'unknown column "e-mail"; did you mean "email"?'),
        (1, "shoe size", f'unknown column "shoe size"; known columns: {", ".join(COLUMNS)}'),
    ]


def test_it_ignores_unknown_columns_when_asked():
    result = read_csv(HEADER + ",shoe size,,notes", ANN + ",42,,=cmd", ignore_unknown=True)
    assert result.ok
    assert len(result.people) == 1


def test_it_refuses_a_header_cell_without_a_name():
    error = one_error(read_csv("id,role,,name,email,time_zone", "1,mentor,,A,a@b.io,UTC"))
    assert error == RowError(1, "", "column 3 of the header has no name")


def test_it_refuses_duplicate_header_names():
    error = one_error(read_csv(HEADER + ",Name", ANN + ",Ann"))
    assert error == RowError(1, "name", "appears twice (columns 3 and 6)")


def test_it_refuses_a_row_with_more_cells_than_the_header():
    error = one_error(read_csv(HEADER, ANN + ",Lee"))
    assert (error.line, error.column) == (2, "")
    assert error.message.startswith("this row has 6 cells but the header has 5 columns")


def test_it_reports_a_quote_never_closed():
    error = one_error(read_csv(HEADER, ANN, '2,mentee,"Bob,bob@example.com,UTC'))
    assert error.line == 3
    assert "not valid CSV" in error.message


# --- file types ----------------------------------------------------------------


@pytest.mark.parametrize("filename", ["people.xls", "people.pdf", "people.json"])
def test_it_refuses_unsupported_file_types(filename):
    error = one_error(read_participants(csv_bytes(HEADER, ANN), filename=filename))
    suffix = filename.rsplit(".", 1)[1]
    assert error.message == f'unsupported file type ".{suffix}"; save the file as CSV UTF-8 or .xlsx'


def test_it_accepts_csv_under_a_txt_or_upper_case_name():
    assert read_participants(csv_bytes(HEADER, ANN), filename="EXPORT.CSV").ok
    assert read_participants(csv_bytes(HEADER, ANN), filename="export.txt").ok


def test_it_explains_an_xlsx_named_csv():
    data = xlsx_bytes([HEADER.split(","), ANN.split(",")])
    error = one_error(read_participants(data, filename="people.csv"))
    assert "Excel workbook" in error.message
    assert "name it .xlsx" in error.message


def test_it_explains_a_csv_named_xlsx():
    error = one_error(read_participants(csv_bytes(HEADER, ANN), filename="people.xlsx"))
    assert error.message == "the file is named .xlsx but is not an Excel workbook"


def test_it_explains_an_old_or_protected_workbook():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    error = one_error(read_participants(data, filename="people.xlsx"))
    assert "Excel 97-2003" in error.message


def test_it_refuses_a_damaged_xlsx():
    data = xlsx_bytes([HEADER.split(",")])[:300]
    error = one_error(read_participants(data, filename="people.xlsx"))
    assert error.message == "the file is not a valid .xlsx workbook"


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    error = one_error(read_participants(buffer.getvalue(), filename="people.xlsx"))
    assert error.message == "the file is not a valid .xlsx workbook"


# --- XLSX ----------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_an_xlsx_turning_numbers_into_text():
    rows: list[list[object]] = [
        ["id", "role", "name", "email", "time_zone", "seniority", "capacity", "manager_id"],
        [1042, "mentor", "Ann", "ann@example.com", "Europe/Berlin", 3.0, 2, None],
        [None, None, None, None, None, None, None, None],
        [2077.0, "mentee", "Bob", "bob@example.com", "UTC", 3, None, 1042],
    ]
    result = read_participants(xlsx_bytes(rows), filename="people.xlsx")
    assert result.ok, result.errors
    ann, bob = result.people
    assert (ann.id, ann.seniority, ann.capacity, ann.line) == ("1042", 3, 2, 2)
    assert (bob.id, bob.manager_id, bob.line) == ("2077", "1042", 4)


def test_it_names_xlsx_rows_by_their_row_number():
    rows: list[list[str]] = [
        HEADER.split(","),
        ANN.split(","),
        [],
        ["2", "mentee", "Bob", "bob@example.com", "GMT+2"],
    ]
    error = one_error(read_participants(xlsx_bytes(rows), filename="people.xlsx"))
    assert (error.line, error.column) == (4, "time_zone")


def test_it_refuses_a_non_integer_number_in_an_xlsx():
    rows: list[list[object]] = [[*HEADER.split(","), "seniority"], [*ANN.split(","), 3.5]]
    error = one_error(read_participants(xlsx_bytes(rows), filename="people.xlsx"))
    assert error == RowError(2, "seniority", '"3.5" is not a whole number from 1 to 10')


# --- bad cells -----------------------------------------------------------------

BAD_CELLS = [
    ("id", "", "is required but empty"),
    ("id", "x" * 101, "is 101 characters long; the limit is 100"),
    ("role", "coach", '"coach" is not a role; use mentor or mentee'),
    ("role", "", "is required but empty; use mentor or mentee"),
    ("name", "  ", "is required but empty"),
    ("name", "n" * 201, "is 201 characters long; the limit is 200"),
    ("email", "", "is required but empty"),
    ("email", "ann.example.com", '"ann.example.com" is not a valid email address'),
    ("email", "ann@example", '"ann@example" is not a valid email address'),
    ("email", "a@b@example.com", '"a@b@example.com" is not a valid email address'),
    ("email", "ann lee@example.com", '"ann lee@example.com" is not a valid email address'),
    ("email", "a" * 250 + "@b.io", "is 255 characters long; the limit is 254"),
    ("time_zone", "", "is required but empty"),
    ("time_zone", "GMT+2", '"GMT+2" is not an IANA time zone (use a name such as Europe/Berlin)'),
    ("time_zone", "UTC+1", '"UTC+1" is not an IANA time zone (use a name such as Europe/Berlin)'),
    ("time_zone", "+05:30", '"+05:30" is not an IANA time zone (use a name such as Europe/Berlin)'),
    ("time_zone", "Etc/GMT-5", '"Etc/GMT-5" is not an IANA time zone (use a name such as Europe/Berlin)'),
    ("time_zone", "Europe/Berln", '"Europe/Berln" is not an IANA time zone (did you mean Europe/Berlin?)'),
    ("availability", "Mon 9-12", '"Mon 9-12": expected a window like "Mon 09:00-12:00"'),
    ("availability", "Tue 10:10-11:00", '"Tue 10:10-11:00": times must be on 15-minute steps'),
    ("availability", "Wed 10:00-09:00", '"Wed 10:00-09:00": end 09:00 is not after start 10:00'),
    ("title", "t" * 201, "is 201 characters long; the limit is 200"),
    ("department", "d" * 201, "is 201 characters long; the limit is 200"),
    ("goals", "g" * 2001, "is 2001 characters long; the limit is 2000"),
    ("seniority", "0", '"0" is not a whole number from 1 to 10'),
    ("seniority", "11", '"11" is not a whole number from 1 to 10'),
    ("seniority", "senior", '"senior" is not a whole number from 1 to 10'),
    ("seniority", "2.5", '"2.5" is not a whole number from 1 to 10'),
    (
        "languages",
        "en; english; EE",
        '"english": not ISO 639-1 language codes (use two letters such as en; es)',
    ),
    ("channels", "video; zoom", '"zoom": not a channel (use video, phone, email, messages)'),
    ("capacity", "0", '"0" is not a whole number from 1 to 50'),
    ("capacity", "51", '"51" is not a whole number from 1 to 50'),
    ("skills_offered", "; ".join(f"s{i}" for i in range(51)), "has 51 items; the limit is 50"),
    (
        "interests",
        "x" * 101,
        'item "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..." is 101 characters long; the limit is 100',
    ),
    ("name", "Ann\x07Lee", "contains an invisible control character (U+0007); remove it"),
    ("title", "Head\nof Data", "contains a line break; keep it on one line"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_CELLS)
def test_it_names_the_line_column_and_reason_of_a_bad_cell(column, value, message):
    cells = dict(zip(HEADER.split(","), ANN.split(","), strict=True))
    cells[column] = value
    rows = [list(cells), list(cells.values())]
    files = [(csv_from(rows), "people.csv")]
    if not ILLEGAL_CHARACTERS_RE.search(value):  # a workbook cannot hold these at all
        files.append((xlsx_bytes(rows), "people.xlsx"))
    for data, filename in files:
        error = one_error(read_participants(data, filename=filename))
        assert error == RowError(2, column, message)


def csv_from(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_it_refuses_a_capacity_for_a_mentee():
    error = one_error(read_csv(HEADER + ",capacity", BOB + ",2", ANN + ","))
    assert error == RowError(2, "capacity", "only mentors have a capacity; leave it empty for mentees")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=HYPERLINK(1)", "'='"),
        ("+1", "'+'"),
        ("-2", "'-'"),
        ("@SUM(A1)", "'@'"),
        ("\tx", "a tab"),
        ("  =1", "'='"),
    ],
)
def test_it_refuses_cells_that_would_run_as_formulas(value, shown):
    message = f"starts with {shown} and would run as a formula in a spreadsheet; remove the leading character"
    for column in ("name", "goals", "title", "id"):
        cells = dict(zip(HEADER.split(","), ANN.split(","), strict=True)) | {"goals": "", "title": ""}
        cells[column] = value
        rows = [list(cells), list(cells.values())]
        error = one_error(read_participants(csv_from(rows)))
        assert error == RowError(2, column, message)


def test_it_refuses_a_list_whose_first_item_would_run_as_a_formula():
    error = one_error(read_csv(HEADER + ",interests", ANN + ",; =cmd"))
    assert (error.line, error.column) == (2, "interests")
    assert "would run as a formula" in error.message


LIST_COLUMNS = (
    "languages",
    "skills_offered",
    "skills_wanted",
    "interests",
    "values",
    "channels",
    "exclude_ids",
)


@pytest.mark.parametrize("column", LIST_COLUMNS)
@pytest.mark.parametrize("cell", ["sql; =cmd|' /C calc'!A0", "en;video;+1", "a; b; @SUM(A1)", "x;\t=1"])
def test_it_refuses_a_formula_in_any_item_of_a_list(column, cell):
    error = one_error(read_csv(HEADER + "," + column, ANN + "," + csv_from([[cell]]).decode().strip()))
    assert (error.line, error.column) == (2, column)
    assert "would run as a formula" in error.message
    assert error.message.startswith(f"item {len([p for p in cell.split(';') if p.strip()])} (")


@settings(max_examples=100, deadline=None)
@given(
    before=st.lists(st.sampled_from(["sql", "python", "data", "r"]), max_size=3),
    lead=st.sampled_from(["=", "+", "-", "@"]),
    rest=st.text(
        st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters=';,"\n\r'), max_size=20
    ),
)
def test_it_refuses_a_formula_wherever_it_stands_in_a_list(before, lead, rest):
    cell = "; ".join([*before, lead + rest])
    error = one_error(read_csv(HEADER + ",interests", ANN + "," + csv_from([[cell]]).decode().strip()))
    assert error.column == "interests"
    assert "would run as a formula" in error.message


def test_it_accepts_dashes_and_signs_inside_items():
    result = read_csv(HEADER + ",interests", ANN + ",C++; e-mail; R&D")
    assert not result.errors
    assert result.people[0].interests == ("C++", "e-mail", "R&D")


# --- checks across rows --------------------------------------------------------


def test_it_refuses_duplicate_ids_naming_the_first_line():
    result = read_csv(HEADER, ANN, "1,mentee,Bob,bob@example.com,UTC")
    assert errors_of(result) == [(3, "id", '"1" is already used on line 2')]


def test_it_refuses_duplicate_emails_ignoring_case():
    result = read_csv(HEADER, ANN, "2,mentee,Bob,ANN@example.com,UTC")
    assert errors_of(result) == [(3, "email", '"ann@example.com" is already used on line 2')]


def test_it_refuses_a_manager_outside_the_file_or_the_person_themself():
    result = read_csv(HEADER + ",manager_id", ANN + ",9", BOB + ",2")
    assert errors_of(result) == [
        (2, "manager_id", 'no row has the id "9"; the manager must be in the file'),
        (3, "manager_id", "is the person's own id; a person cannot be their own manager"),
    ]


def test_it_reports_every_row_of_a_manager_cycle():
    result = read_csv(
        HEADER + ",manager_id",
        "a,mentor,A,a@x.io,UTC,b",
        "b,mentor,B,b@x.io,UTC,c",
        "c,mentor,C,c@x.io,UTC,a",
        "d,mentee,D,d@x.io,UTC,a",
    )
    assert errors_of(result) == [
        (2, "manager_id", "the manager chain loops back to this person: a -> b -> c -> a"),
        (3, "manager_id", "the manager chain loops back to this person: b -> c -> a -> b"),
        (4, "manager_id", "the manager chain loops back to this person: c -> a -> b -> c"),
    ]


def test_it_accepts_a_deep_manager_chain():
    rows = [f"p{i},mentee,P{i},p{i}@x.io,UTC,{f'p{i - 1}' if i else ''}" for i in range(3000)]
    assert read_csv(HEADER + ",manager_id", *rows).ok


def test_it_refuses_excluded_ids_outside_the_file_or_the_persons_own():
    result = read_csv(HEADER + ",exclude_ids", ANN + ",2; 1; 7", BOB + ",")
    assert errors_of(result) == [
        (2, "exclude_ids", "lists the person's own id"),
        (2, "exclude_ids", 'no row has the id "7"'),
    ]


def test_it_names_every_bad_row_at_once_and_gives_no_people():
    result = read_csv(
        HEADER + ",seniority",
        ANN + ",3",
        "2,mentee,Bob,bob@example,UTC,",
        "3,mentee,Cy,cy@example.com,Mars/Olympus,",
        "4,mentee,Di,di@example.com,UTC,",
        "5,boss,Ed,ed@example.com,UTC,12",
    )
    assert result.people == ()
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "email"),
        (4, "time_zone"),
        (6, "role"),
        (6, "seniority"),
    ]


def test_it_counts_physical_lines_when_a_quoted_cell_spans_lines():
    result = read_csv(
        HEADER + ",goals",
        ANN + ',"first\nsecond\nthird"',
        '2,mentee,Bob,bob@example.com,UTC+1,"a\r\nb"',
        "3,mentee,Cy,cy@example.com,GMT+2,",
    )
    assert [(e.line, e.column) for e in result.errors] == [(5, "time_zone"), (7, "time_zone")]


def test_it_formats_errors_for_people():
    assert (
        str(RowError(7, "time_zone", '"GMT+2" is not an IANA time zone (use a name such as Europe/Berlin)'))
        == 'line 7, time_zone: "GMT+2" is not an IANA time zone (use a name such as Europe/Berlin)'
    )
    assert str(RowError(3, "", "too many cells")) == "line 3: too many cells"
    assert str(RowError(0, "", "the file is empty")) == "the file is empty"


def test_it_lists_the_documented_columns():
    assert COLUMNS[:5] == REQUIRED_COLUMNS == ("id", "role", "name", "email", "time_zone")
    assert len(COLUMNS) == len(set(COLUMNS)) == 19
    assert "capacity" not in REQUIRED_COLUMNS


# --- writing -------------------------------------------------------------------


def test_it_writes_the_full_header_and_capacity_only_for_mentors():
    people = read_participants(GOOD.encode()).people
    lines = write_participants_csv(people).splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("1042,mentor,Ann Lee,ann.lee@example.com,Europe/Berlin,")
    assert "Mon 09:00-12:00; Wed 14:00-17:30" in lines[1]
    assert lines[-1].endswith(",Learn SQL,email,,")


def test_it_escapes_formula_characters_on_export():
    person = Participant("=1", Role.MENTEE, "@Ann", "a@b.io", "UTC", goals="-x", title="\tHead")
    row = write_participants_csv([person]).splitlines()[1]
    assert row.startswith("'=1,mentee,'@Ann,")
    assert "'-x" in row
    assert "'\tHead" in row
    sheet = openpyxl.load_workbook(io.BytesIO(write_participants_xlsx([person]))).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["'=1", "mentee", "'@Ann"]


def test_it_writes_an_xlsx_that_reads_back():
    people = read_participants(GOOD.encode()).people
    assert read_participants(write_participants_xlsx(people), filename="out.xlsx").people == people


def test_it_writes_an_empty_file_with_only_the_header():
    assert write_participants_csv([]) == ",".join(COLUMNS) + "\r\n"


# --- properties ----------------------------------------------------------------

ZONES = sorted(z for z in zoneinfo.available_timezones() if not re.search(r"GMT[+-]?[0-9]", z))
TEXT_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"), exclude_characters=";")


def text(max_size: int) -> st.SearchStrategy[str]:
    return (
        st.text(TEXT_CHARS, min_size=1, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: bool(s) and s[0] not in "=+-@")
    )


def optional_text(max_size: int) -> st.SearchStrategy[str]:
    return st.just("") | text(max_size)


windows = st.builds(
    lambda weekday, start, length: Window(weekday, start * 15, min(96, start + length) * 15),
    st.integers(0, 6),
    st.integers(0, 95),
    st.integers(1, 96),
)
phrases = st.lists(text(30), max_size=4, unique_by=str.casefold).map(tuple)


@st.composite
def person(draw: st.DrawFn, index: int, ids: list[str]) -> Participant:
    role = draw(st.sampled_from(Role))
    others = [other for other in ids if other != ids[index]]
    return Participant(
        id=ids[index],
        role=role,
        name=draw(text(60)),
        email=f"{draw(st.from_regex(r'[a-z0-9._%]{1,12}', fullmatch=True))}.{index}@example.org",
        time_zone=draw(st.sampled_from(ZONES)),
        availability=merge_windows(draw(st.lists(windows, max_size=4))),
        title=draw(optional_text(40)),
        department=draw(optional_text(40)),
        manager_id=draw(st.sampled_from(["", *ids[:index]])),
        seniority=draw(st.none() | st.integers(1, 10)),
        languages=tuple(draw(st.lists(st.sampled_from(sorted(ISO_639_1)), max_size=3, unique=True))),
        skills_offered=draw(phrases),
        skills_wanted=draw(phrases),
        interests=draw(phrases),
        values=draw(phrases),
        goals=draw(st.lists(text(40), max_size=3).map("\n".join)),
        channels=tuple(draw(st.lists(st.sampled_from(CHANNELS), unique=True))),
        capacity=draw(st.integers(1, 50)) if role is Role.MENTOR else 1,
        exclude_ids=tuple(draw(st.lists(st.sampled_from(others), unique=True, max_size=3))) if others else (),
    )


@st.composite
def people(draw: st.DrawFn) -> tuple[Participant, ...]:
    ids = draw(st.lists(text(20), min_size=1, max_size=4, unique=True))
    return tuple(draw(person(index, ids)) for index in range(len(ids)))


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(people())
def test_it_reads_back_what_it_writes_as_csv(group):
    result = read_participants(write_participants_csv(group).encode())
    assert result.errors == ()
    assert result.people == group


@settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(people())
def test_it_reads_back_what_it_writes_as_xlsx(group):
    result = read_participants(write_participants_xlsx(group), filename="people.xlsx")
    assert result.errors == ()
    assert result.people == group


@settings(deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["people.csv", "people.xlsx", "x.pdf"]))
def test_it_never_raises_on_arbitrary_bytes(data, filename):
    result = read_participants(data, filename=filename)
    assert result.ok or not result.people
    assert result.ok == (not result.errors)


CSV_CHARS = st.sampled_from(
    [*'abc,;"\n\r =+-@\t', "é", "\x00", "\ufeff", *COLUMNS, "mentor", "UTC", "a@b.io"]
)


@settings(deadline=None)
@given(st.lists(CSV_CHARS, max_size=60).map("".join), st.booleans())
def test_it_never_raises_on_csv_like_text(body, ignore_unknown):
    data = (HEADER + ",manager_id,exclude_ids,capacity\n" + body).encode()
    result = read_participants(data, ignore_unknown=ignore_unknown)
    assert all(isinstance(error, RowError) and error.message for error in result.errors)


xlsx_text = st.text(max_size=8).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))


@settings(deadline=None, max_examples=25)
@given(st.lists(st.lists(st.none() | st.integers() | st.floats() | xlsx_text, max_size=7), max_size=5))
def test_it_never_raises_on_odd_xlsx_cells(rows):
    data = xlsx_bytes([HEADER.split(","), *rows])
    result = read_participants(data, filename="people.xlsx")
    assert result.ok == (not result.errors)


def test_it_reports_a_bad_cell_repeated_on_many_rows_on_each_row() -> None:
    # Each distinct cell text is read once per file; its problem still belongs to every row.
    rows = "\n".join(f"p{i},mentee,P{i},bad,UTC,2,xx" for i in range(3))
    data = f"id,role,name,email,time_zone,capacity,languages\n{rows}\n".encode()
    errors = read_participants(data, filename="people.csv").errors
    assert [(e.line, e.column) for e in errors] == [
        (line, column) for line in (2, 3, 4) for column in ("email", "languages", "capacity")
    ]
    assert len({e.message for e in errors if e.column == "email"}) == 1
