"""Reading, last step: checks across rows (duplicate ids and emails, managers, loops, exclusions)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matching_engine.model import Participant
from matching_engine.participants.results import RowError

_OWN_MANAGER = "is the person's own id; a person cannot be their own manager"


def _cross_check(people: Sequence[Participant]) -> list[RowError]:
    ids = {person.id for person in people if person.id}
    return [
        *_duplicates(people, "id", lambda person: person.id),
        *_duplicates(people, "email", lambda person: person.email),
        *_manager_errors(people, ids),
        *_cycle_errors(people),
        *_exclude_errors(people, ids),
    ]


def _duplicates(
    people: Sequence[Participant], column: str, key: Callable[[Participant], str]
) -> list[RowError]:
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for person in people:
        value = key(person)
        if value in first:
            message = f'"{value}" is already used on line {first[value]}'
            errors.append(RowError(person.line, column, message))
        elif value:
            first[value] = person.line
    return errors


def _manager_errors(people: Sequence[Participant], ids: set[str]) -> list[RowError]:
    errors: list[RowError] = []
    for person in people:
        manager = person.manager_id
        if manager and manager == person.id:
            errors.append(RowError(person.line, "manager_id", _OWN_MANAGER))
        elif manager and manager not in ids:
            message = f'no row has the id "{manager}"; the manager must be in the file'
            errors.append(RowError(person.line, "manager_id", message))
    return errors


def _cycle_errors(people: Sequence[Participant]) -> list[RowError]:
    manager_of: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for person in people:
        if person.id and person.id not in manager_of:
            manager_of[person.id] = person.manager_id
            line_of[person.id] = person.line
    errors: list[RowError] = []
    for loop in _loops(manager_of):
        for index, member in enumerate(loop):
            chain = _chain_text(loop[index:] + loop[:index])
            message = f"the manager chain loops back to this person: {chain}"
            errors.append(RowError(line_of[member], "manager_id", message))
    return errors


def _loops(manager_of: dict[str, str]) -> list[list[str]]:
    """Each cycle of two or more people in the id -> manager id graph, once."""
    done: set[str] = set()
    loops: list[list[str]] = []
    for start in manager_of:
        path: dict[str, int] = {}  # id -> position, in walking order
        node = start
        while node in manager_of and node not in done and node not in path:
            path[node] = len(path)
            node = manager_of[node]
        if node in path and len(path) - path[node] > 1:
            loops.append(list(path)[path[node] :])
        done.update(path)
    return loops


def _chain_text(loop: list[str], shown: int = 5) -> str:
    names = loop[:shown] + (["..."] if len(loop) > shown else [])
    return " -> ".join([*names, loop[0]])


def _exclude_errors(people: Sequence[Participant], ids: set[str]) -> list[RowError]:
    errors: list[RowError] = []
    for person in people:
        for other in person.exclude_ids:
            if other == person.id:
                errors.append(RowError(person.line, "exclude_ids", "lists the person's own id"))
            elif other not in ids:
                message = f'no row has the id "{other}"'
                errors.append(RowError(person.line, "exclude_ids", message))
    return errors
