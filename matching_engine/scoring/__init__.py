"""How well each mentee suits each mentor, which pairs are allowed, and the candidate pairs.

Six components, each in 0..1. Where a side gave nothing to compare, a component (or
its half) is 0: missing data never earns points, so an empty profile cannot win.

* ``values``: half the cosine of the two people's TF-IDF rows (the words of their
  values, interests and goals), half the Ochiai overlap ``|A & B| / sqrt(|A| |B|)`` of
  their exact values and interests (lower-cased phrases). A half is 0 when either
  person has no words, or no phrases, for it.
* ``skills``: the share of the mentee's wanted skills that the mentor offers; 0 when
  the mentee wants none.
* ``hours``: ``min(shared hours a week / 4, 1)``: 4 or more shared hours earn full
  marks; 0 when either gave no availability.
* ``languages``: 1 with a language in common, else 0 (also when either gave none).
* ``seniority``: 1 for a mentor 2-4 levels above the mentee; 2/3 and 1/3 for 1 and 0
  levels above; 1/6 less for each level beyond 4 above; 0 for a mentor below the
  mentee, and when either level is missing.
* ``channels``: the Jaccard index of the preferred channels; 0 when either is empty.

The total is the weighted mean ``sum(w * c) / sum(w)`` (0 when every weight is 0).

Hard constraints form a boolean mask, never a penalty: a pair is forbidden when it
is one person (the same id on both sides), when one manages the other at any depth
(``separate_reporting_lines``), when both are in one department
(``separate_departments``), when they share fewer than ``min_shared_hours`` a week,
when they have no language in common (``require_common_language``), and when the
manager or either person excluded the pair. A rule that cannot be checked because a
person gave no availability, languages or department is not met, unless the manager
let that person in (``Constraints.allow_incomplete``): then the rule skips what they
did not give, for them only.

Pairs are scored a block of mentees at a time, so no cohort needs the full mentee x
mentor matrices at once. Inside a block the total is computed fused (weights folded
in); listed pairs and the candidates' components use the plain per-component
formulas, and agree with it to float32 rounding.

The parts live in topic modules: ``components`` (the six components and each person's
share of them), ``blocks`` (a block of mentees against every mentor, fused, and the mask),
``prepared`` (``prepare`` and :class:`Problem`), ``candidates`` (every allowed pair, or the
pruned k best) and ``reasons`` (why a pair is forbidden, in words).
"""

from __future__ import annotations

from matching_engine.measures import Measures
from matching_engine.scoring.blocks import (
    BLOCK_PAIRS,
    BY_MANAGER,
    BY_MENTEE,
    BY_MENTOR,
    FORBIDDEN,
    MAX_BLOCK_ROWS,
    SAME_LINE,
    SAME_PERSON,
)
from matching_engine.scoring.candidates import MAX_WORKERS
from matching_engine.scoring.components import (
    FULL_SLOTS,
    PairScore,
    channels_component,
    seniority_component,
)
from matching_engine.scoring.prepared import COMPLETE_PAIRS, PAIR_CHUNK, Problem, prepare
from matching_engine.scoring.reasons import and_list, hours_text

__all__ = [
    "BLOCK_PAIRS",
    "BY_MANAGER",
    "BY_MENTEE",
    "BY_MENTOR",
    "COMPLETE_PAIRS",
    "FORBIDDEN",
    "FULL_SLOTS",
    "MAX_BLOCK_ROWS",
    "MAX_WORKERS",
    "PAIR_CHUNK",
    "SAME_LINE",
    "SAME_PERSON",
    "Measures",
    "PairScore",
    "Problem",
    "and_list",
    "channels_component",
    "hours_text",
    "prepare",
    "seniority_component",
]
