"""The one place that turns Meridian's models into the matching engine's input.

A cohort becomes two lists of ``Participant`` (approved mentees still without a current
mentorship, approved mentors with room left), named by their user ids, and a
``Problem`` scored with the run's settings. Manager chains reach people outside the
cohort, so each person's ``manager_id`` is their nearest manager *inside* the cohort:
"one is above the other at any depth" stays true between members.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Count, Max

from matching_engine.model import Participant
from matching_engine.problem import CRITERIA, Constraints, Mode, Objective, Weights
from matching_engine.scoring import Problem, prepare
from meridian.accounts.models import Profile
from meridian.mentorships.services import capacity_of, mentee_counts
from meridian.programs.exporting import participant_of
from meridian.programs.models import Cohort, Enrollment, Role

WEIGHT_RANGE = (0.0, 5.0)
DEFAULT_CONSTRAINTS = {
    "min_shared_hours": 1.0,
    "require_common_language": True,
    "separate_reporting_lines": True,
    "allow_all_incomplete": False,
}


def default_settings(cohort: Cohort) -> dict[str, Any]:
    """The settings a first run of ``cohort`` starts from (the engine's defaults)."""
    weights = Weights()
    return {
        "weights": {c: float(getattr(weights, c)) for c in CRITERIA},
        "constraints": {**DEFAULT_CONSTRAINTS, "separate_departments": cohort.program.separate_departments},
        "mode": Mode.OPTIMAL.value,
        "objective": Objective.SCORE.value,
    }


@dataclass(frozen=True)
class EngineSettings:
    weights: Weights
    constraints: Constraints
    mode: Mode
    objective: Objective


def engine_settings(settings: Mapping[str, Any], excluded: Iterable[tuple[str, str]] = ()) -> EngineSettings:
    """Stored run settings as the engine's types (settings were validated by the form)."""
    c = settings.get("constraints", {})
    return EngineSettings(
        weights=Weights(**{k: float(v) for k, v in settings.get("weights", {}).items() if k in CRITERIA}),
        constraints=Constraints(
            min_shared_hours=float(c.get("min_shared_hours", 1.0)),
            require_common_language=bool(c.get("require_common_language", True)),
            separate_departments=bool(c.get("separate_departments", False)),
            separate_reporting_lines=bool(c.get("separate_reporting_lines", True)),
            excluded_pairs=frozenset(excluded),
            allow_incomplete=frozenset(str(x) for x in c.get("allow_incomplete", [])),
            allow_all_incomplete=bool(c.get("allow_all_incomplete", False)),
        ),
        mode=Mode(settings.get("mode", Mode.OPTIMAL)),
        objective=Objective(settings.get("objective", Objective.SCORE)),
    )


@dataclass(frozen=True)
class CohortProblem:
    """A scored problem and the enrolments behind its positions."""

    problem: Problem
    mentees: list[Enrollment]
    mentors: list[Enrollment]
    settings: EngineSettings
    _mentee_at: dict[int, int] = field(default_factory=dict, repr=False)
    _mentor_at: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._mentee_at.update({e.pk: i for i, e in enumerate(self.mentees)})
        self._mentor_at.update({e.pk: j for j, e in enumerate(self.mentors)})

    def mentee_index(self, enrollment_id: int) -> int | None:
        return self._mentee_at.get(enrollment_id)

    def mentor_index(self, enrollment_id: int) -> int | None:
        return self._mentor_at.get(enrollment_id)


def mentor_room(cohort: Cohort) -> dict[int, int]:
    """Each approved mentor's room left: capacity (the group size in group programs)
    minus the mentees already in their current mentorships."""
    rows = Enrollment.objects.members().filter(cohort=cohort, role=Role.MENTOR)
    offered = dict(rows.values_list("pk", "capacity"))
    taken = mentee_counts(list(offered))
    program = cohort.program
    return {pk: max(0, capacity_of(program, n) - taken.get(pk, 0)) for pk, n in offered.items()}


# Built problems, by cohort, settings and a stamp of the data behind them: the review's
# "why not" and the recommendations reuse the problem instead of rebuilding it (seconds
# at 10,000 people). Per process; a change to any input changes the stamp.
_BUILT: OrderedDict[tuple[Any, ...], CohortProblem] = OrderedDict()
_KEEP = 4


def build(cohort: Cohort, settings: Mapping[str, Any], *, with_full_mentors: bool = False) -> CohortProblem:
    """The cohort as an engine problem under ``settings`` (stored run settings).

    Mentors with no room left are left out unless ``with_full_mentors`` (to explain
    why a mentee cannot have them)."""
    key = (cohort.pk, json.dumps(settings, sort_keys=True, default=str), with_full_mentors, _stamp(cohort))
    found = _BUILT.get(key)
    if found is None:
        found = _build(cohort, settings, with_full_mentors=with_full_mentors)
        _BUILT[key] = found
        while len(_BUILT) > _KEEP:
            _BUILT.popitem(last=False)
    _BUILT.move_to_end(key)
    return found


def _stamp(cohort: Cohort) -> tuple[Any, ...]:
    """Changes whenever anything a cohort's problem is built from changes."""
    from meridian.matching.models import Exclusion

    members = Enrollment.objects.filter(cohort=cohort)
    people = members.values("user_id")
    found = [
        members.aggregate(n=Count("pk"), at=Max("updated_at"), x=Count("excluded")),
        Profile.objects.filter(user_id__in=people).aggregate(at=Max("updated_at")),
        Profile.objects.aggregate(n=Count("manager")),  # the reporting tree
        Exclusion.objects.filter(cohort=cohort).aggregate(n=Count("pk"), at=Max("created_at")),
        members.filter(memberships__is_current=True).aggregate(n=Count("memberships")),
    ]
    return (*(tuple(row.values()) for row in found), tuple(sorted(mentor_room(cohort).items())))


def _build(cohort: Cohort, settings: Mapping[str, Any], *, with_full_mentors: bool) -> CohortProblem:
    members = list(
        Enrollment.objects.members().filter(cohort=cohort).select_related("user__profile").order_by("pk")
    )
    never: dict[int, list[int]] = {}
    through = Enrollment.excluded.through.objects.filter(enrollment__in=[e.pk for e in members])
    for enrollment_id, user_id in through.values_list("enrollment_id", "user_id"):
        never.setdefault(enrollment_id, []).append(user_id)
    matched = set(
        Enrollment.objects.filter(cohort=cohort, role=Role.MENTEE, memberships__is_current=True).values_list(
            "pk", flat=True
        )
    )
    room = mentor_room(cohort)
    mentees = [e for e in members if e.role == Role.MENTEE and e.pk not in matched]
    mentors = [e for e in members if e.role == Role.MENTOR and (with_full_mentors or room.get(e.pk, 0) > 0)]
    managers = _managers_within(cohort, {e.user_id for e in members})
    people = {e.pk: _participant(e, managers, room, never.get(e.pk, [])) for e in [*mentees, *mentors]}
    excluded = cohort_exclusions(cohort)
    engine = engine_settings(settings, excluded)
    problem = prepare(
        [people[e.pk] for e in mentees],
        [people[e.pk] for e in mentors],
        weights=engine.weights,
        constraints=engine.constraints,
    )
    return CohortProblem(problem, mentees, mentors, engine)


def person_id(user_id: int) -> str:
    return str(user_id)


def cohort_exclusions(cohort: Cohort) -> set[tuple[str, str]]:
    """The pairs the manager ruled out, as (mentee id, mentor id)."""
    from meridian.matching.models import Exclusion

    rows = Exclusion.objects.filter(cohort=cohort).values_list("mentee__user_id", "mentor__user_id")
    return {(person_id(a), person_id(b)) for a, b in rows}


def _participant(
    enrollment: Enrollment, managers: Mapping[int, int], room: Mapping[int, int], never: list[int]
) -> Participant:
    ids = {enrollment.user_id: person_id(enrollment.user_id)}
    person = participant_of(enrollment, ids, excluded=())
    boss = managers.get(enrollment.user_id)
    capacity = room.get(enrollment.pk, enrollment.capacity) if enrollment.role == Role.MENTOR else 1
    return replace(
        person,
        manager_id=person_id(boss) if boss else "",
        capacity=max(capacity, 0),
        exclude_ids=tuple(person_id(pk) for pk in never),
    )


def _managers_within(cohort: Cohort, members: set[int]) -> dict[int, int]:
    """Each member's nearest manager who is also a member (user ids), over the whole
    organisation's reporting tree (one query for the tree)."""
    boss = dict(Profile.objects.exclude(manager=None).values_list("user_id", "manager_id"))
    found: dict[int, int] = {}
    for person in members:
        seen = {person}
        node = boss.get(person)
        while node is not None and node not in seen:
            if node in members:
                found[person] = node
                break
            seen.add(node)
            node = boss.get(node)
    return found
