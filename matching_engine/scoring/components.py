"""The six components of a pair's score, and what each person brings to them."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matching_engine.features import SideFeatures
from matching_engine.measures import Measures
from matching_engine.problem import Constraints, Weights

F32 = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
FULL_SLOTS = 16  # 4 shared hours a week earn full marks
_CODES = 11 * 16  # seniority (0..10) x channel sets (0..15)


def seniority_component(mentee: int, mentor: int) -> float:
    """The seniority component for two levels (1..10, 0 = not given)."""
    if not mentee or not mentor:
        return 0.0
    gap = mentor - mentee
    if gap < 0:
        return 0.0
    if gap < 2:
        return (gap + 1) / 3
    return 1.0 if gap <= 4 else max(0.0, 1.0 - (gap - 4) / 6)


def channels_component(mentee: int, mentor: int) -> float:
    """The channels component for two 4-bit channel sets: their Jaccard index."""
    if not mentee or not mentor:
        return 0.0
    return (mentee & mentor).bit_count() / (mentee | mentor).bit_count()


# Look-up tables by ``mentee code * _CODES + mentor code`` (code = seniority * 16 + channels).
_SENIORITY = np.array(
    [seniority_component(a // 16, b // 16) for a in range(_CODES) for b in range(_CODES)], np.float32
)
_CHANNELS = np.array(
    [channels_component(a % 16, b % 16) for a in range(_CODES) for b in range(_CODES)], np.float32
)


class PairScore(NamedTuple):
    """One pair's total, its components by criterion, and whether it is allowed."""

    score: float
    components: dict[str, float]
    allowed: bool


class _People(NamedTuple):
    """What the score needs of each person besides the measures: one entry a person."""

    hours: Bools  # gave availability
    languages: Bools  # gave languages
    code: npt.NDArray[np.int64]  # seniority * 16 + channel bits
    department: npt.NDArray[np.int32]  # -1 = none
    let_in: Bools  # the manager lets a rule skip what this person did not give

    @classmethod
    def of(cls, side: SideFeatures, constraints: Constraints) -> _People:
        return cls(
            hours=side.availability.max(axis=1, initial=0) > 0,
            languages=side.languages.max(axis=1, initial=0) > 0,
            code=side.seniority.astype(np.int64) * 16 + side.channels,
            department=side.department,
            let_in=np.array([constraints.lets_in(x) for x in side.ids], np.bool_).reshape(-1),
        )

    def take(self, index: Ints) -> _People:
        return _People(
            self.hours[index],
            self.languages[index],
            self.code[index],
            self.department[index],
            self.let_in[index],
        )


def _components(mx: Measures, e: _People, m: _People) -> F32:
    """The components of listed pairs, (pairs, criteria) in CRITERIA order."""
    hours = np.minimum(mx.hours * np.float32(1 / FULL_SLOTS), np.float32(1))
    code = e.code * _CODES + m.code
    return np.stack(
        [
            np.minimum(mx.values, np.float32(1)),  # float32 rounding may pass 1 by a hair
            mx.skills,
            hours,
            mx.languages.astype(np.float32),
            _SENIORITY[code],
            _CHANNELS[code],
        ],
        axis=1,
    )


def _checked_pairs(ok: Bools, e_given: Bools, e_in: Bools, m_given: Bools, m_in: Bools) -> Bools:
    """A rule over listed pairs: ``ok`` where both gave what it needs; where either did
    not, met only when each who did not was let in by the manager."""
    both = e_given & m_given
    return (both & ok) | (~both & (e_given | e_in) & (m_given | m_in))


def _shares(weights: Weights) -> F32:
    """Each weight over the sum of the weights (all 0 when they sum to 0)."""
    w = weights.as_array().astype(np.float64)
    total = w.sum()
    return (w / total if total > 0 else w * 0).astype(np.float32)
