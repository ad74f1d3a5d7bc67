"""Matching settings from a TOML file: criterion weights and hard constraints.

    [weights]            # any of CRITERIA; missing ones keep their defaults
    skills = 2.0
    channels = 0         # 0 switches a criterion off

    [constraints]
    min_shared_hours = 2.0
    require_common_language = true
    separate_departments = false
    separate_reporting_lines = true
    excluded_pairs = [["E10001", "E10420"]]   # (mentee id, mentor id)
    allow_incomplete = ["E10007"]   # matched on what they gave: a rule skips what they left out
    allow_all_incomplete = false    # the same for everyone with an incomplete profile

Every problem is collected and reported at once, as a :class:`ConfigError`.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching_engine.problem import CRITERIA, Constraints, Weights

MAX_WEEKLY_HOURS = 7 * 24
_TABLES = ("weights", "constraints")
_BOOLEANS = (
    "require_common_language",
    "separate_departments",
    "separate_reporting_lines",
    "allow_all_incomplete",
)


class ConfigError(ValueError):
    """A bad settings file; ``errors`` holds every problem, one line each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Config:
    """The settings of a matching run."""

    weights: Weights = field(default_factory=Weights)
    constraints: Constraints = field(default_factory=Constraints)


def load_config(path: Path) -> Config:
    """Read and check a settings file (``ConfigError`` on any problem)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read {path}: {exc}"]) from None
    return parse_config(text)


def parse_config(text: str) -> Config:
    """Check TOML settings text and build the settings (``ConfigError`` on any problem)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"]) from None
    errors = _unknown(data, _TABLES, "")
    tables = {name: _table(data, name, errors) for name in _TABLES}
    weights = _weights(tables["weights"], errors)
    constraints = _constraints(tables["constraints"], errors)
    if errors:
        raise ConfigError(errors)
    return Config(weights, constraints)


def _table(data: Mapping[str, object], name: str, errors: list[str]) -> dict[str, object]:
    value = data.get(name, {})
    if isinstance(value, dict):
        return value
    errors.append(f"{name}: must be a table ([{name}])")
    return {}


def _unknown(table: Mapping[str, object], known: tuple[str, ...], prefix: str) -> list[str]:
    errors = []
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "known: " + ", ".join(known)
            errors.append(f'{prefix}unknown key "{key}"; {hint}')
    return errors


# --- [weights] ---------------------------------------------------------------------------------


def _weights(table: Mapping[str, object], errors: list[str]) -> Weights:
    errors.extend(_unknown(table, CRITERIA, "weights: "))
    values = {}
    for name in CRITERIA:
        if name in table:
            weight = _number(table[name], f"weights.{name}", errors, low=0.0)
            if weight is not None:
                values[name] = weight
    weights = dataclasses.replace(Weights(), **values)
    if not any(getattr(weights, name) for name in CRITERIA):
        errors.append("weights: all weights are zero; at least one criterion must count")
    return weights


def _number(
    value: object, name: str, errors: list[str], *, low: float, high: float = math.inf
) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(f"{name}: must be a number, not {_shown(value)}")
        return None
    if not math.isfinite(value) or not low <= value <= high:
        limit = f"from {low:g} to {high:g}" if math.isfinite(high) else f"{low:g} or more"
        errors.append(f"{name}: {value!r} is out of range; use a number {limit}")
        return None
    return float(value)


# --- [constraints] -----------------------------------------------------------------------------


def _constraints(table: Mapping[str, object], errors: list[str]) -> Constraints:
    known = tuple(f.name for f in dataclasses.fields(Constraints))
    errors.extend(_unknown(table, known, "constraints: "))
    readers: dict[str, Callable[[object, str, list[str]], object]] = {
        "min_shared_hours": lambda v, n, e: _number(v, n, e, low=0.0, high=MAX_WEEKLY_HOURS),
        "excluded_pairs": _pairs,
        "allow_incomplete": _ids,
        **dict.fromkeys(_BOOLEANS, _boolean),
    }
    values: dict[str, Any] = {}
    for name, read in readers.items():
        if name in table:
            value = read(table[name], f"constraints.{name}", errors)
            if value is not None:
                values[name] = value
    return dataclasses.replace(Constraints(), **values)


def _boolean(value: object, name: str, errors: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    errors.append(f"{name}: must be true or false, not {_shown(value)}")
    return None


def _pairs(value: object, name: str, errors: list[str]) -> frozenset[tuple[str, str]] | None:
    if not isinstance(value, list):
        errors.append(f'{name}: must be a list of [mentee id, mentor id] pairs, such as [["E1", "E2"]]')
        return None
    pairs = set()
    for index, item in enumerate(value, 1):
        if isinstance(item, list) and len(item) == 2 and all(isinstance(i, str) and i for i in item):
            pairs.add((item[0], item[1]))
        else:
            errors.append(f"{name}: item {index} must be [mentee id, mentor id], not {_shown(item)}")
    return frozenset(pairs)


def _ids(value: object, name: str, errors: list[str]) -> frozenset[str] | None:
    if not isinstance(value, list):
        errors.append(f'{name}: must be a list of participant ids, such as ["E1", "E2"]')
        return None
    bad = [index for index, item in enumerate(value, 1) if not (isinstance(item, str) and item.strip())]
    for index in bad:
        errors.append(f"{name}: item {index} must be a participant id, not {_shown(value[index - 1])}")
    return None if bad else frozenset(item.strip() for item in value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
