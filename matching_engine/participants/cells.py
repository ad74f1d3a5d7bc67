"""Reading, step three: one cell's text into its value, or why it is bad (in words for the
person fixing the file)."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import fields
from typing import TypeVar

from matching_engine.availability import AvailabilityError, parse_availability
from matching_engine.languages import ISO_639_1
from matching_engine.model import CHANNELS, Participant, Role, Window
from matching_engine.participants.results import _FORMULA_STARTS, COLUMNS, _CellError

T = TypeVar("T")
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
_NOT_FIRST = frozenset((*_FORMULA_STARTS, " "))


def _plain(text: str) -> bool:
    """Whether _clean would return ``text`` (not empty) unchanged, told quickly: every character
    printable (no control character, line break, tab or other space than " "), no space at
    either end, and no formula sign first. Most cells are such."""
    return text.isprintable() and text[0] not in _NOT_FIRST and text[-1] != " "


def _clean(column: str, raw: str) -> str:
    """The trimmed cell, refusing what a spreadsheet would run or XML cannot hold."""
    if not raw or _plain(raw):
        return raw
    return _clean_fully(column, raw)


def _clean_fully(column: str, raw: str) -> str:
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


# A file (and a long-running server, file after file) holds few distinct zones and weekly
# patterns: each is looked up once.
@functools.lru_cache(maxsize=1024)
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


@functools.lru_cache(maxsize=4096)
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
        # the list is split again (an export per skill, a pasted column). Items are trimmed.
        if item[0] not in _FORMULA_STARTS:
            continue
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
