"""Meridian's matching engine: a pure library (no Django, nothing of ``meridian``).

Participants come in as frozen dataclasses (parsed from the participant file,
see ``participants``) and go out as assignments with explanations.

This package is the engine's public surface: ``from matching_engine import prepare``.
Meridian's apps import these names, never the modules behind them (only
``meridian.matching`` may: an import-linter contract says so). Each name is imported
from its module when first asked for (PEP 562), so importing the package costs
nothing, and the command line starts without NumPy or SciPy until it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matching_engine.availability import (
        AvailabilityError,
        format_availability,
        merge_windows,
        parse_availability,
        weekly_minutes,
    )
    from matching_engine.config import Config, ConfigError, load_config, parse_config
    from matching_engine.demo import generate_cohort, generate_people
    from matching_engine.explain import (
        PairExplanation,
        TimeLabel,
        explain_pair,
        explain_pairs,
        iter_explanations,
        named_time,
        summary_text,
        your_time,
        zone_time,
    )
    from matching_engine.languages import ISO_639_1
    from matching_engine.model import (
        CHANNELS,
        MINUTES_PER_DAY,
        SLOT_MINUTES,
        WEEKDAYS,
        Participant,
        Role,
        Window,
    )
    from matching_engine.participants import (
        COLUMNS,
        MAX_FILE_BYTES,
        RowError,
        read_participants,
        write_participants_csv,
        write_participants_xlsx,
    )
    from matching_engine.problem import (
        CRITERIA,
        Assignment,
        Candidates,
        Constraints,
        Mode,
        Objective,
        Weights,
    )
    from matching_engine.report import QualityReport, quality_report
    from matching_engine.runs import (
        Forced,
        K,
        Solved,
        fitting_locks,
        force_pair,
        load_of,
        mentors_with_room,
        rank_mentors,
        solve_with_locks,
        stable_around,
        with_pairs,
    )
    from matching_engine.scoring import Problem, prepare
    from matching_engine.solve import assigned_pairs, mentor_cutoffs, solve_greedy, solve_optimal, solve_scipy
    from matching_engine.stable import blocking_pairs, deferred_acceptance, stable_match

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "CRITERIA",
    "ISO_639_1",
    "MAX_FILE_BYTES",
    "MINUTES_PER_DAY",
    "SLOT_MINUTES",
    "WEEKDAYS",
    "Assignment",
    "AvailabilityError",
    "Candidates",
    "Config",
    "ConfigError",
    "Constraints",
    "Forced",
    "K",
    "Mode",
    "Objective",
    "PairExplanation",
    "Participant",
    "Problem",
    "QualityReport",
    "Role",
    "RowError",
    "Solved",
    "TimeLabel",
    "Weights",
    "Window",
    "assigned_pairs",
    "blocking_pairs",
    "deferred_acceptance",
    "explain_pair",
    "explain_pairs",
    "fitting_locks",
    "force_pair",
    "format_availability",
    "generate_cohort",
    "generate_people",
    "iter_explanations",
    "load_config",
    "load_of",
    "mentor_cutoffs",
    "mentors_with_room",
    "merge_windows",
    "named_time",
    "parse_availability",
    "parse_config",
    "prepare",
    "quality_report",
    "rank_mentors",
    "read_participants",
    "solve_greedy",
    "solve_optimal",
    "solve_scipy",
    "solve_with_locks",
    "stable_around",
    "stable_match",
    "summary_text",
    "weekly_minutes",
    "with_pairs",
    "write_participants_csv",
    "write_participants_xlsx",
    "your_time",
    "zone_time",
]

_MODULES: dict[str, tuple[str, ...]] = {
    "availability": (
        "AvailabilityError",
        "format_availability",
        "merge_windows",
        "parse_availability",
        "weekly_minutes",
    ),
    "config": (
        "Config",
        "ConfigError",
        "load_config",
        "parse_config",
    ),
    "demo": (
        "generate_cohort",
        "generate_people",
    ),
    "explain": (
        "PairExplanation",
        "TimeLabel",
        "explain_pair",
        "explain_pairs",
        "iter_explanations",
        "named_time",
        "summary_text",
        "your_time",
        "zone_time",
    ),
    "languages": ("ISO_639_1",),
    "model": (
        "CHANNELS",
        "MINUTES_PER_DAY",
        "SLOT_MINUTES",
        "WEEKDAYS",
        "Participant",
        "Role",
        "Window",
    ),
    "participants": (
        "COLUMNS",
        "MAX_FILE_BYTES",
        "RowError",
        "read_participants",
        "write_participants_csv",
        "write_participants_xlsx",
    ),
    "problem": (
        "CRITERIA",
        "Assignment",
        "Candidates",
        "Constraints",
        "Mode",
        "Objective",
        "Weights",
    ),
    "report": (
        "QualityReport",
        "quality_report",
    ),
    "runs": (
        "K",
        "Forced",
        "Solved",
        "fitting_locks",
        "force_pair",
        "load_of",
        "mentors_with_room",
        "rank_mentors",
        "solve_with_locks",
        "stable_around",
        "with_pairs",
    ),
    "scoring": (
        "Problem",
        "prepare",
    ),
    "solve": (
        "assigned_pairs",
        "mentor_cutoffs",
        "solve_greedy",
        "solve_optimal",
        "solve_scipy",
    ),
    "stable": (
        "blocking_pairs",
        "deferred_acceptance",
        "stable_match",
    ),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once: the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
