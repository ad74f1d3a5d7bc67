"""Reads for the matching pages, with the access policy applied (404 otherwise)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404

from meridian.core import permissions
from meridian.core.paging import paginate
from meridian.core.permissions import Person
from meridian.matching.models import MatchRun, MentorRequest, Proposal
from meridian.matching.naming import label, label_of
from meridian.programs.models import Cohort, Enrollment, Role
from meridian.programs.selectors import parse_uuid

PAGE_SIZE = 50
HISTOGRAM_BINS = 10


def get_run_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> MatchRun:
    """A run, for the managers of its program only (to read as to change); else 404."""
    run = MatchRun.objects.select_related("cohort__program", "created_by").filter(public_id=public_id).first()
    if run is None or not permissions.may_run_matching(user, run.cohort):
        raise Http404
    return run


def get_proposal_for_user(
    user: Person, run_public_id: uuid.UUID, mentee_public_id: uuid.UUID, *, write: bool = False
) -> Proposal:
    """A pair of a run, named by the run and the mentee's enrolment (a mentee has one pair
    per run), for the managers of its program only; else 404."""
    proposal = (
        Proposal.objects.select_related("run__cohort__program", "mentee__user", "mentor__user")
        .filter(run__public_id=run_public_id, mentee__public_id=mentee_public_id)
        .first()
    )
    if proposal is None or not permissions.may_run_matching(user, proposal.run.cohort):
        raise Http404
    return proposal


def get_mentee_enrollment_for_user(
    user: Person, cohort_public_id: uuid.UUID, *, write: bool = False
) -> Enrollment:
    """The person's own mentee enrolment in the cohort, where they may choose mentors; else 404."""
    enrollment = (
        Enrollment.objects.select_related("cohort__program", "user")
        .filter(cohort__public_id=cohort_public_id, user_id=user.pk or 0, role=Role.MENTEE)
        .first()
    )
    if enrollment is None or not permissions.may_self_select(user, enrollment):
        raise Http404
    return enrollment


def get_request_for_user(
    user: Person, public_id: uuid.UUID, *, write: bool = False, as_role: str = Role.MENTOR
) -> MentorRequest:
    """A request to a mentor: read by its two people and the program's managers; with
    ``write``, answered by its mentor (``as_role="mentor"``) or withdrawn by its mentee;
    else 404."""
    found = (
        MentorRequest.objects.select_related("cohort__program", "mentee__user", "mentor__user")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404
    if not write:
        allowed = permissions.may_see_request(user, found)
    elif as_role == Role.MENTOR:
        allowed = permissions.may_answer_request(user, found)
    else:
        allowed = permissions.may_withdraw_request(user, found)
    if not allowed:
        raise Http404
    return found


def runs_of(cohort: Cohort) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(cohort=cohort).select_related("created_by").defer("report")


def proposals_page(run: MatchRun, *, search: str = "", page: Any = 1) -> Page[Proposal]:
    """A page of the run's pairs, best first; ``search`` matches either person's name."""
    rows = run.proposals.all()
    if search:
        rows = rows.filter(Q(mentee__user__name__icontains=search) | Q(mentor__user__name__icontains=search))
    return paginate(
        rows.order_by("-score", "pk"),
        page,
        per_page=PAGE_SIZE,
        fetch=lambda q: q.select_related("mentee__user__profile", "mentor__user__profile"),
    )


def histogram(run: MatchRun) -> list[dict[str, Any]]:
    """The matched pairs' scores in ten bins of 0.1, each with its share of the tallest bin."""
    counts = [0] * HISTOGRAM_BINS
    for score in run.proposals.values_list("score", flat=True):
        counts[min(HISTOGRAM_BINS - 1, max(0, int(score * HISTOGRAM_BINS)))] += 1
    tallest = max(counts) or 1
    return [
        {
            "low": i / HISTOGRAM_BINS,
            "high": (i + 1) / HISTOGRAM_BINS,
            "count": n,
            "height": round(100 * n / tallest),
        }
        for i, n in enumerate(counts)
    ]


def member_by_public_id(cohort: Cohort, public_id: Any, role: str) -> Enrollment:
    found = (
        Enrollment.objects.members()
        .select_related("user__profile")
        .filter(cohort=cohort, role=role, public_id=parse_uuid(public_id))
        .first()
    )
    if found is None:
        raise Http404
    return found


def mentors_named(cohort: Cohort, name: str, *, limit: int = 20) -> list[Enrollment]:
    rows = Enrollment.objects.members().filter(cohort=cohort, role=Role.MENTOR).select_related("user")
    if name:
        rows = rows.filter(user__name__icontains=name)
    return list(rows.order_by("user__name")[:limit])


UNMATCHED_SHOWN = 50


def unmatched(run: MatchRun, twins: frozenset[str]) -> list[dict[str, Any]]:
    """The first unmatched mentees of the run's report, each with their enrolment (to
    link their alternatives) and a name told apart from a namesake (one query)."""
    rows = list(run.report.get("unmatched") or [])[:UNMATCHED_SHOWN]
    ids = [int(r["mentee_id"]) for r in rows if str(r.get("mentee_id", "")).isdigit()]
    found = {
        e.user_id: e
        for e in Enrollment.objects.filter(cohort=run.cohort, role="mentee", user_id__in=ids).select_related(
            "user__profile"
        )
    }
    shown = []
    for row in rows:
        enrollment = found.get(int(row["mentee_id"])) if str(row.get("mentee_id", "")).isdigit() else None
        name = label(enrollment.user, twins) if enrollment is not None else str(row.get("name", ""))
        shown.append({"name": name, "reason": row.get("reason", ""), "enrollment": enrollment})
    return shown


def cohort_sides(cohort: Cohort) -> tuple[int, int]:
    """The cohort's approved mentees and mentors (two queries)."""
    members = Enrollment.objects.members().filter(cohort=cohort)
    return members.filter(role=Role.MENTEE).count(), members.filter(role=Role.MENTOR).count()


# ---------------------------------------------------------------- two runs compared

COMPARE_ROWS = 200


@dataclass(frozen=True)
class Difference:
    mentee: str
    mentor_a: str | None
    mentor_b: str | None
    score_a: float | None
    score_b: float | None


@dataclass(frozen=True)
class Comparison:
    settings: list[tuple[str, Any, Any]]  # (setting, in A, in B) where they differ
    same: int  # mentees with the same mentor in both
    differences: list[Difference]  # the first COMPARE_ROWS mentees matched differently
    different: int


def runs_compared(a: MatchRun, b: MatchRun, *, twins: frozenset[str] = frozenset()) -> Comparison:
    """What differs between two runs of a cohort: settings and mentees' mentors (people
    who share a name told apart, see ``naming``); one query a run."""
    flat_a, flat_b = _flat(a.settings), _flat(b.settings)
    changed = [
        (k, flat_a.get(k), flat_b.get(k))
        for k in sorted(set(flat_a) | set(flat_b))
        if flat_a.get(k) != flat_b.get(k)
    ]
    rows: dict[int, list[Any]] = {}
    for run, side in ((a, 0), (b, 1)):
        for (
            mentee,
            name,
            email,
            hr_id,
            mentor_name,
            mentor_email,
            mentor_hr_id,
            score,
        ) in run.proposals.values_list(
            "mentee_id",
            "mentee__user__name",
            "mentee__user__email",
            "mentee__user__profile__external_id",
            "mentor__user__name",
            "mentor__user__email",
            "mentor__user__profile__external_id",
            "score",
        ):
            mentor = label_of(mentor_name, mentor_email, mentor_hr_id, twins)
            rows.setdefault(mentee, [label_of(name, email, hr_id, twins), None, None, None, None])
            rows[mentee][1 + side], rows[mentee][3 + side] = mentor, score
    different = [Difference(*r) for r in rows.values() if r[1] != r[2]]
    different.sort(key=lambda d: d.mentee)
    return Comparison(changed, len(rows) - len(different), different[:COMPARE_ROWS], len(different))


def _flat(settings: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "locked":
            flat["locked pairs"] = len(value)
        elif isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat
