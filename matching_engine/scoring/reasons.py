"""Why a pair is forbidden, in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from matching_engine.scoring.blocks import BY_MANAGER, BY_MENTEE, BY_MENTOR, SAME_LINE, SAME_PERSON
from matching_engine.scoring.components import Ints

if TYPE_CHECKING:
    from matching_engine.scoring.prepared import Problem


def and_list(items: Sequence[str], *, word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def hours_text(hours: float) -> str:
    """``0.5 h``, ``1 h``, ``3.75 h``."""
    return f"{round(hours, 2):g} h"


class _Reasons:
    """Why listed pairs are forbidden, in words."""

    def __init__(self, problem: Problem, rows: Ints, cols: Ints) -> None:
        maths = problem._maths
        self.problem, self.rows, self.cols = problem, rows, cols
        self.flags = maths.flags(rows, cols).tolist()
        mx = maths.measurer.pairs(rows, cols)
        self.slots, self.common = mx.hours.tolist(), mx.languages.tolist()
        e, m = maths.e.take(rows), maths.m.take(cols)
        self.given = {
            "availability": (e.hours.tolist(), m.hours.tolist()),
            "languages": (e.languages.tolist(), m.languages.tolist()),
            "department": ((e.department >= 0).tolist(), (m.department >= 0).tolist()),
        }
        self.let_in = e.let_in.tolist(), m.let_in.tolist()
        self.departments = e.department.tolist(), m.department.tolist()

    def all(self) -> list[str | None]:
        """Each pair's reasons, ``; ``-separated, or None where none applies."""
        found: list[str | None] = []
        for p, (i, j) in enumerate(zip(self.rows.tolist(), self.cols.tolist(), strict=True)):
            reasons = self.of(p, i, j)
            found.append("; ".join(reasons) if reasons else None)
        return found

    def of(self, p: int, i: int, j: int) -> list[str]:
        """Every reason that applies to pair ``p`` (mentee ``i``, mentor ``j``), the structural ones first."""
        flags = self.flags[p]
        e, m = self.problem.mentees[i].name, self.problem.mentors[j].name
        found = [
            f"the same person ({e})" if flags & SAME_PERSON else None,
            self._line(flags, i, j),
            self._department(p, i, j),
            self._hours(p, i, j),
            self._language(p, i, j),
            "excluded by the manager" if flags & BY_MANAGER else None,
            f"{e} asked not to be matched with {m}" if flags & BY_MENTEE else None,
            f"{m} asked not to be matched with {e}" if flags & BY_MENTOR else None,
        ]
        return [reason for reason in found if reason]

    def _line(self, flags: int, i: int, j: int) -> str | None:
        if not flags & SAME_LINE:
            return None
        names, features = self.problem._maths.names, self.problem.features
        mentee, mentor = self.problem.mentees[i], self.problem.mentors[j]
        chain = features.mentees.managers[i]
        if mentor.id in chain:
            return "same reporting line: " + _reports(mentee.name, chain, mentor.id, names)
        chain = features.mentors.managers[j]
        return "same reporting line: " + _reports(mentor.name, chain, mentee.id, names)

    def _unchecked(self, fact: str, p: int, i: int, j: int, rule: str) -> str | None:
        """Why a rule is not met for lack of ``fact``, or None when both gave it (the rule was
        checked) or each who did not was let in."""
        given = self.given[fact][0][p], self.given[fact][1][p]
        if all(given):
            return None
        people = self.problem.mentees[i], self.problem.mentors[j]
        lacking = [
            person.name
            for person, gave, let_in in zip(
                people, given, (self.let_in[0][p], self.let_in[1][p]), strict=True
            )
            if not gave and not let_in
        ]
        return f"{and_list(lacking)} gave no {fact}, so {rule} cannot be checked" if lacking else ""

    def _department(self, p: int, i: int, j: int) -> str | None:
        if not self.problem.constraints.separate_departments:
            return None
        unchecked = self._unchecked("department", p, i, j, "different departments")
        if unchecked is not None:
            return unchecked or None
        code = self.departments[0][p]
        same = code == self.departments[1][p]
        return f"same department ({self.problem.features.departments[code]})" if same else None

    def _hours(self, p: int, i: int, j: int) -> str | None:
        need, slots = self.problem._maths.need_slots, float(self.slots[p])
        if not need:
            return None
        minimum = hours_text(self.problem.constraints.min_shared_hours)
        unchecked = self._unchecked("availability", p, i, j, f"the minimum of {minimum} a week together")
        if unchecked is not None:
            return unchecked or None
        if slots >= need:
            return None
        if not slots:
            return f"no shared time in the week (minimum {minimum})"
        return f"only {hours_text(slots / 4)} a week of shared time (minimum {minimum})"

    def _language(self, p: int, i: int, j: int) -> str | None:
        if not self.problem.constraints.require_common_language:
            return None
        unchecked = self._unchecked("languages", p, i, j, "a common language")
        if unchecked is not None:
            return unchecked or None
        return None if self.common[p] else "no language in common"


def _reports(name: str, chain: tuple[str, ...], boss: str, names: dict[str, str]) -> str:
    between = [names.get(x, x) for x in chain[: chain.index(boss)]]
    through = f" (through {and_list(between)})" if between else ""
    return f"{name} reports to {names.get(boss, boss)}{through}"
