"""Incomplete profiles: what a person left out that the score or a hard rule needs.

A criterion a person gave nothing for counts 0 in their pairs; a hard rule that needs
what they left out (availability for the shared hours, languages for a common
language, the department for separate departments) cannot be checked, so it is not
met, unless the manager let them in (``Constraints.allow_incomplete``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching_engine.model import Participant, Role
from matching_engine.problem import Constraints

AVAILABILITY, LANGUAGES, DEPARTMENT = "availability", "languages", "department"


@dataclass(frozen=True)
class Gap:
    """One person's incomplete profile."""

    person: Participant
    missing: tuple[str, ...]  # what they left out, in words ("availability", "skills", ...)
    rules: tuple[str, ...]  # the active hard rules that cannot be checked for them
    let_in: bool  # the manager lets those rules skip what they left out


def missing_facts(person: Participant, constraints: Constraints) -> tuple[str, ...]:
    """What ``person`` left out that matching uses (the department only when a rule needs it)."""
    skills = person.skills_wanted if person.role is Role.MENTEE else person.skills_offered
    found = [
        (AVAILABILITY, not person.availability),
        (LANGUAGES, not any(x.strip() for x in person.languages)),
        ("skills", not any(x.strip() for x in skills)),
        ("values, interests or goals", not (person.values or person.interests or person.goals.strip())),
        ("seniority", person.seniority is None),
        ("preferred channels", not person.channels),
        (DEPARTMENT, constraints.separate_departments and not person.department.strip()),
    ]
    return tuple(name for name, lacking in found if lacking)


def unchecked_rules(missing: Sequence[str], constraints: Constraints) -> tuple[str, ...]:
    """The active hard rules that cannot be checked without what is ``missing``."""
    hours = constraints.min_shared_hours
    rules = [
        (AVAILABILITY, hours > 0, f"at least {round(hours, 2):g} h shared a week"),
        (LANGUAGES, constraints.require_common_language, "a common language"),
        (DEPARTMENT, constraints.separate_departments, "different departments"),
    ]
    return tuple(rule for fact, active, rule in rules if active and fact in missing)


def gaps(people: Sequence[Participant], constraints: Constraints) -> list[Gap]:
    """Everyone in ``people`` with an incomplete profile, in order."""
    found = []
    for person in people:
        missing = missing_facts(person, constraints)
        if missing:
            rules = unchecked_rules(missing, constraints)
            found.append(Gap(person, missing, rules, constraints.lets_in(person.id)))
    return found
