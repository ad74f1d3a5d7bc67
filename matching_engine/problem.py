"""The types that pass between the engine's stages: settings in, candidates between
scoring and solving, assignments out. Frozen dataclasses and NumPy arrays only.

NumPy is imported where an array is made, not with the module: the command line reads its
settings and answers ``--help`` without it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# The score's criteria, in the order of ``Candidates.components``' columns.
CRITERIA = ("values", "skills", "hours", "languages", "seniority", "channels")


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts (0 switches it off). The total score of a pair is
    ``sum(weight[c] * component[c]) / sum(weight)``, in 0..1."""

    values: float = 1.0  # shared values, goals and interests, free text included
    skills: float = 1.5  # skills the mentor offers against skills the mentee wants
    hours: float = 1.0  # shared working hours a week across the two zones
    languages: float = 0.5  # languages in common
    seniority: float = 0.5  # a useful seniority gap (mentor 2-4 levels above)
    channels: float = 0.25  # preferred channels in common

    def as_array(self) -> npt.NDArray[np.float32]:
        import numpy as np

        return np.array([getattr(self, name) for name in CRITERIA], dtype=np.float32)


@dataclass(frozen=True)
class Constraints:
    """Hard rules: a pair that breaks one is never proposed.

    A rule that cannot be checked because a person left out what it needs (no
    availability, no languages, no department) is not met, unless the manager let that
    person in: ``allow_incomplete`` (their ids) or ``allow_all_incomplete`` (everyone).
    Then the rule skips the fact that person did not give, for them only.
    """

    min_shared_hours: float = 1.0  # hours a week both are available, in UTC
    require_common_language: bool = True
    separate_departments: bool = False
    separate_reporting_lines: bool = True  # never manager chain (any depth) either way
    excluded_pairs: frozenset[tuple[str, str]] = frozenset()  # (mentee id, mentor id)
    allow_incomplete: frozenset[str] = frozenset()  # ids matched on what they gave
    allow_all_incomplete: bool = False  # everyone with an incomplete profile is

    def lets_in(self, person_id: str) -> bool:
        """Whether a rule skips what ``person_id`` did not give."""
        return self.allow_all_incomplete or person_id in self.allow_incomplete


class Objective(enum.StrEnum):
    SCORE = "score"  # the highest total score
    COVERAGE = "coverage"  # as many mentees as possible, then the highest total score


class Mode(enum.StrEnum):
    OPTIMAL = "optimal"
    STABLE = "stable"  # mentee-proposing deferred acceptance with capacities


@dataclass(frozen=True, eq=False)
class Candidates:
    """The allowed pairs worth considering, as parallel arrays (one entry a pair).

    ``complete`` is True when every allowed pair is present. Otherwise ``cutoff[m]``
    bounds the score of any allowed pair of mentee ``m`` left out (its k-th best
    score), so a solver can say how much the pruning may have cost.
    """

    mentee: npt.NDArray[np.int32]
    mentor: npt.NDArray[np.int32]
    score: npt.NDArray[np.float32]
    components: npt.NDArray[np.float32]  # shape (pairs, len(CRITERIA)), each in 0..1
    capacity: npt.NDArray[np.int32]  # per mentor
    n_mentees: int
    complete: bool
    cutoff: npt.NDArray[np.float32] = field(default_factory=lambda: _empty("float32"))
    # Per mentee, how many mentors the hard constraints allow (empty when not counted).
    allowed: npt.NDArray[np.int64] = field(default_factory=lambda: _empty("int64"))


@dataclass(frozen=True, eq=False)
class Assignment:
    """Who is matched with whom: ``mentor_of[m]`` is a mentor index or -1."""

    mentor_of: npt.NDArray[np.int32]
    total: float  # the sum of the matched pairs' scores
    upper_bound: float  # no assignment under the constraints scores more than this
    mode: Mode = Mode.OPTIMAL

    @property
    def matched(self) -> int:
        return int((self.mentor_of >= 0).sum())

    @property
    def gap(self) -> float:
        """How far ``total`` may be from the optimum, as a share of it (0 = proven optimal)."""
        return (
            0.0 if self.upper_bound <= self.total else (self.upper_bound - self.total) / max(self.total, 1e-9)
        )


def _empty(dtype: str) -> npt.NDArray[Any]:
    import numpy as np

    return np.zeros(0, dtype)
