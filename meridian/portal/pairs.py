"""The program team's view of its pairs: who is paired with whom and whether they meet.

Activity only, never content (docs: the privacy model): counts and dates of meetings,
open action items, messages, check-ins, shared links and files, goal counts and the
agreement's state; never an agenda, a note, a message, a line of a check-in or an action's
text. It lives in the portal, the pages-only top layer that may read every app below it,
so the counts are plain typed subqueries.

One page costs a fixed number of queries whatever the number of pairs: count, ids, the
page's rows (with their activity as subqueries) and their members."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from meridian.core.paging import paginate
from meridian.core.permissions import Person
from meridian.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Goal,
    GoalStatus,
    Member,
    Mentorship,
    SharedItem,
    UnresponsiveReport,
)
from meridian.messaging.models import Message
from meridian.programs import selectors as program_selectors
from meridian.programs.models import Cohort, Program
from meridian.scheduling.models import ActionItem, Meeting, MeetingStatus

PAIRS_PER_PAGE = 25


@dataclass(frozen=True)
class PairsScope:
    """A program, or one cohort of it, whose pairs its manager is looking at."""

    program: Program
    cohort: Cohort | None = None

    def mentorships(self) -> QuerySet[Mentorship]:
        if self.cohort is not None:
            return Mentorship.objects.filter(cohort=self.cohort)
        return Mentorship.objects.filter(program=self.program)


def get_pairs_scope_for_user(
    user: Person, *, program_id: uuid.UUID | None = None, cohort_id: uuid.UUID | None = None
) -> PairsScope:
    """The one way in: a program or cohort that ``user`` manages (or 404), through the
    programs' own choke points (``may_manage_program``)."""
    if cohort_id is not None:
        cohort = program_selectors.get_cohort_for_user(user, cohort_id, write=True)
        return PairsScope(program=cohort.program, cohort=cohort)
    if program_id is None:
        raise Http404
    return PairsScope(program=program_selectors.get_program_for_user(user, program_id, write=True))


def _count(rows: QuerySet[Any], by: str = "mentorship") -> Subquery:
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)  # type: ignore[return-value]


def _latest(rows: QuerySet[Any], by: str = "mentorship") -> Subquery:
    return Subquery(rows.order_by().values(by).annotate(at=Max("created_at")).values("at"))


_latest_version = AgreementVersion.objects.filter(mentorship=OuterRef("pk")).order_by("-number")


def _with_activity(rows: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    now = timezone.now()
    meetings = Meeting.objects.filter(mentorship=OuterRef("pk"))
    held = meetings.filter(status=MeetingStatus.HELD)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now)
    members = Member.objects.select_related("user").order_by("-role", "user__name", "id")  # mentors first
    return (
        rows.select_related(
            "cohort", "closure", "health"
        )  # how it ended, a request to be matched again; health
        .prefetch_related(Prefetch("members", queryset=members))
        .annotate(
            meetings_held=_count(held),
            last_meeting=Subquery(
                held.order_by().values("mentorship").annotate(at=Max("starts_at")).values("at")
            ),
            next_meeting=Subquery(
                upcoming.order_by().values("mentorship").annotate(at=Min("starts_at")).values("at")
            ),
            open_actions=_count(ActionItem.objects.filter(mentorship=OuterRef("pk"), done_at__isnull=True)),
            # an unresponsive partner reported by a member: how many, the latest when
            reports=_count(UnresponsiveReport.objects.filter(mentorship=OuterRef("pk"))),
            last_report=Subquery(
                UnresponsiveReport.objects.filter(mentorship=OuterRef("pk"))
                .order_by()
                .values("mentorship")
                .annotate(at=Max("created_at"))
                .values("at")
            ),
            last_report_by=Subquery(
                UnresponsiveReport.objects.filter(mentorship=OuterRef("pk"))
                .order_by("-created_at", "-pk")
                .values("reporter_role")[:1]
            ),
            # contact between meetings: how much and when, never what
            messages=_count(Message.objects.filter(thread__mentorship=OuterRef("pk")), "thread"),
            last_message=_latest(Message.objects.filter(thread__mentorship=OuterRef("pk")), "thread"),
            checkin_count=_count(CheckIn.objects.filter(mentorship=OuterRef("pk"))),
            last_checkin=_latest(CheckIn.objects.filter(mentorship=OuterRef("pk"))),
            shared=_count(SharedItem.objects.filter(mentorship=OuterRef("pk"))),
            goal_count=_count(Goal.objects.filter(mentorship=OuterRef("pk"))),
            goals_achieved=_count(Goal.objects.filter(mentorship=OuterRef("pk"), status=GoalStatus.ACHIEVED)),
            # the agreement's state: its latest version, and whether everyone accepted it
            agreement_version=Subquery(_latest_version.values("number")[:1]),
            agreement_agreed_at=Subquery(_latest_version.values("agreed_at")[:1]),
        )
    )


def pairs_page(scope: PairsScope, search: str, status: str, page: Any, health: str = "") -> Page[Mentorship]:
    """One page of the scope's mentorships, newest first, searched by a member's name; with
    ``health`` (a band: the at-risk list), that band's pairs, the lowest score first."""
    rows = scope.mentorships()
    if search:
        named = Member.objects.filter(user__name__icontains=search).values("mentorship")
        rows = rows.filter(pk__in=named)
    if status:
        rows = rows.filter(status=status)
    order: tuple[str, ...] = ("-started_on", "-pk")
    if health:
        rows, order = rows.filter(health__band=health), ("health__score", *order)
    return paginate(rows.order_by(*order), page, per_page=PAIRS_PER_PAGE, fetch=_with_activity)
