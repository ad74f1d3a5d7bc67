"""An after-the-fact check of an assignment against the hard rules, pair by pair in plain
Python (apart from turning local windows into UTC slots), independent of the scorer's
vectorised mask: for tests and benchmarks to prove that no proposed pair breaks a rule.

A rule that cannot be checked for lack of data is broken unless each person who did
not give the data was let in (``Constraints.allow_incomplete``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from matching_engine.features import DEFAULT_REFERENCE, availability_slots
from matching_engine.model import Participant
from matching_engine.problem import Constraints


class Break(NamedTuple):
    """A matched pair (or a mentor) that breaks a rule."""

    mentee_id: str
    mentor_id: str
    rule: str


def rule_breaks(
    mentees: Sequence[Participant],
    mentors: Sequence[Participant],
    constraints: Constraints,
    mentor_of: npt.ArrayLike,
    *,
    reference: date = DEFAULT_REFERENCE,
) -> list[Break]:
    """Every rule each matched pair breaks (``mentor_of[i]`` = mentor index or -1), and every
    mentor given more mentees than their capacity."""
    chosen = np.asarray(mentor_of).reshape(-1).tolist()
    slots_e = availability_slots(mentees, reference).astype(bool)
    slots_m = availability_slots(mentors, reference).astype(bool)
    boss = {p.id: p.manager_id for p in (*mentees, *mentors)}
    found = []
    for i, j in enumerate(chosen):
        if j < 0:
            continue
        e, m = mentees[i], mentors[j]
        shared = int((slots_e[i] & slots_m[j]).sum()) / 4
        found += [Break(e.id, m.id, rule) for rule in _broken(e, m, constraints, shared, boss)]
    load = Counter(chosen)
    for j, mentor in enumerate(mentors):
        if load[j] > mentor.capacity:
            found.append(Break("", mentor.id, "capacity"))
    return found


def _broken(e: Participant, m: Participant, c: Constraints, shared: float, boss: dict[str, str]) -> list[str]:
    rules = []
    if e.id == m.id:
        rules.append("same person")
    if c.separate_reporting_lines and (m.id in _chain(e.id, boss) or e.id in _chain(m.id, boss)):
        rules.append("reporting line")
    if c.min_shared_hours > 0:
        given = bool(e.availability), bool(m.availability)
        if not _met(c, e, m, given, shared >= c.min_shared_hours - 1e-9):
            rules.append("min shared hours")
    if c.require_common_language:
        mine, theirs = _set(e.languages), _set(m.languages)
        if not _met(c, e, m, (bool(mine), bool(theirs)), bool(mine & theirs)):
            rules.append("common language")
    if c.separate_departments:
        mine_d, theirs_d = _key(e.department), _key(m.department)
        if not _met(c, e, m, (bool(mine_d), bool(theirs_d)), mine_d != theirs_d):
            rules.append("department")
    if (e.id, m.id) in c.excluded_pairs or m.id in e.exclude_ids or e.id in m.exclude_ids:
        rules.append("excluded")
    return rules


def _met(c: Constraints, e: Participant, m: Participant, given: tuple[bool, bool], ok: bool) -> bool:
    if all(given):
        return ok
    return all(gave or c.lets_in(p.id) for p, gave in zip((e, m), given, strict=True))


def _chain(person: str, boss: dict[str, str]) -> list[str]:
    chain: list[str] = []
    node = boss.get(person, "")
    while node in boss and node not in chain and node != person:
        chain.append(node)
        node = boss[node]
    return chain


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _set(items: Sequence[str]) -> set[str]:
    return {_key(x) for x in items} - {""}
