"""Self-select: a mentee reads their recommended mentors (each score taken apart), asks
up to N of them at once, and a mentor accepts or declines before the deadline.

Capacity holds under concurrent accepts because every accept locks the mentee's and then
the mentor's enrolment row (always in that order, so two accepts never wait on each
other in a circle) before it looks at the request; ``mentorships.services.start`` then
re-checks the room under the same lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matching_engine.explain import PairExplanation, explain_pair, explain_pairs, summary_text, your_time
from matching_engine.problem import CRITERIA
from matching_engine.runs import rank_mentors
from meridian.core.errors import MeridianError
from meridian.matching import adapter, emails
from meridian.matching.forms import CRITERION_LABELS
from meridian.matching.models import MatchRun, MentorRequest, RequestStatus
from meridian.mentorships.models import MentorshipSource
from meridian.mentorships.services import Started, has_current_mentorship, room_left, start
from meridian.programs.models import Enrollment, Role
from meridian.programs.selectors import parse_uuid

RECOMMENDED = 10  # mentors shown to a mentee
LISTED = 100  # requests listed on a page, newest first
NOTE_MAX = 1000
AUTO_REPLY = (
    "Thank you for asking. My places in this cohort have just filled up, so I cannot take you on; "
    "I hope one of your other requests works out."
)


# ---------------------------------------------------------------- recommendations


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    value: float  # 0..1
    percent: int
    evidence: str


@dataclass(frozen=True)
class Recommendation:
    mentor: Enrollment
    score: float
    percent: int
    summary: str
    criteria: list[Criterion]
    request: MentorRequest | None = None  # the mentee's request waiting with this mentor


@dataclass
class MenteePage:
    """What the recommendations page shows one mentee."""

    mentee: Enrollment
    matched: bool
    recommendations: list[Recommendation] = field(default_factory=list)
    requests: list[MentorRequest] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.requests if r.status == RequestStatus.PENDING)

    @property
    def may_ask(self) -> int:
        """How many more mentors the mentee may ask now."""
        return 0 if self.matched else max(0, self.mentee.cohort.program.requests_per_mentee - self.waiting)


def run_settings(cohort: Any) -> dict[str, Any]:
    """The settings of the cohort's latest matching run (the manager's weights and rules),
    or the engine's defaults."""
    latest = (
        MatchRun.objects.filter(cohort=cohort).order_by("-number").values_list("settings", flat=True).first()
    )
    return dict(latest) if latest else adapter.default_settings(cohort)


def mentee_page(mentee: Enrollment, *, limit: int = RECOMMENDED) -> MenteePage:
    """The mentee's requests and, while they have no mentor, their best allowed mentors
    with room left, best first. A fixed number of queries, whatever the cohort's size."""
    requests_expire(Q(mentee=mentee))
    requests = list(mentee.requests_made.select_related("cohort__program", "mentor__user__profile")[:LISTED])
    page = MenteePage(mentee, has_current_mentorship(mentee), requests=requests)
    if not page.matched:
        page.recommendations = recommendations(mentee, requests, limit=limit)
    return page


def recommendations(
    mentee: Enrollment, requests: Sequence[MentorRequest], *, limit: int = RECOMMENDED
) -> list[Recommendation]:
    cp = adapter.build(mentee.cohort, run_settings(mentee.cohort))
    i = cp.mentee_index(mentee.pk)
    if i is None or not cp.mentors:
        return []
    waiting = {r.mentor_id: r for r in requests if r.status == RequestStatus.PENDING}
    refused = {r.mentor_id for r in requests if r.status == RequestStatus.DECLINED}
    scores, _components, allowed = cp.problem.scores_for(i)
    declined = [j for j, mentor in enumerate(cp.mentors) if mentor.pk in refused]
    top = rank_mentors(scores, allowed, leave_out=declined, limit=limit)
    weights = cp.settings.weights
    shown = []
    for why in explain_pairs(cp.problem, [i] * len(top), top):
        mentor = cp.mentors[why.mentor]
        criteria = [_criterion(c, why) for c in CRITERIA if getattr(weights, c) > 0]
        shown.append(
            Recommendation(
                mentor, why.score, _percent(why.score), why.summary, criteria, waiting.get(mentor.pk)
            )
        )
    return shown


def _criterion(key: str, why: PairExplanation) -> Criterion:
    value = why.components[key]
    return Criterion(key, str(CRITERION_LABELS[key][0]), value, _percent(value), why.evidence.get(key, ""))


def _percent(value: float) -> int:
    return max(0, min(100, round(value * 100)))


def mentor_summary(why: PairExplanation) -> str:
    """The explanation's summary as the mentor reads it: hours in the mentor's own time
    (explained with ``mentor_time=your_time``)."""
    evidence = {**why.evidence, "hours": why.evidence.get("hours_mentor_local", "")}
    return summary_text(why.components, why.contributions, evidence, why.missing)


# ---------------------------------------------------------------- the requests page


@dataclass
class RequestsPage:
    incoming: list[MentorRequest]  # waiting for this person's answer
    answered: list[MentorRequest]  # answered, expired or withdrawn
    sent: list[MentorRequest]  # this person's own requests as a mentee


def requests_page(user: Any) -> RequestsPage:
    """Requests to and from ``user``, newest first (four queries, whatever their number)."""
    requests_expire(Q(mentee__user=user) | Q(mentor__user=user))
    received = list(
        MentorRequest.objects.filter(mentor__user=user).select_related(
            "cohort__program", "mentee__user__profile", "mentor"
        )[:LISTED]
    )
    sent = list(
        MentorRequest.objects.filter(mentee__user=user).select_related(
            "cohort__program", "mentor__user__profile"
        )[:LISTED]
    )
    waiting = [r for r in received if r.status == RequestStatus.PENDING]
    return RequestsPage(waiting, [r for r in received if r.status != RequestStatus.PENDING], sent)


# ---------------------------------------------------------------- writes


def requests_expire(where: Q | None = None) -> int:
    """Mark the requests whose deadline passed unanswered as expired; the count."""
    rows = MentorRequest.objects.filter(status=RequestStatus.PENDING, deadline__lte=timezone.now())
    if where is not None:
        rows = rows.filter(where)
    return rows.update(status=RequestStatus.EXPIRED, decided_at=timezone.now())


def requests_create(
    *, mentee: Enrollment, mentors: Sequence[Enrollment], message: str = ""
) -> list[MentorRequest]:
    """Ask each of ``mentors`` (at most the program's N waiting at once) to mentor ``mentee``,
    and email them. All or nothing: one refusal refuses the whole set, with the reason."""
    program = mentee.cohort.program
    if not mentors:
        raise MeridianError(_("Tick at least one mentor to ask."))
    if len({m.pk for m in mentors}) != len(mentors):
        raise MeridianError(_("Each mentor can be asked only once."))
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=mentee.pk).first()  # one writer per mentee
        requests_expire(Q(mentee=mentee))
        _check_may_ask(mentee, mentors)
        cp = adapter.build(mentee.cohort, run_settings(mentee.cohort), with_full_mentors=True)
        i = cp.mentee_index(mentee.pk)
        deadline = timezone.now() + timedelta(days=program.answer_days)
        made = []
        for mentor in mentors:
            j = cp.mentor_index(mentor.pk)
            if i is None or j is None or not cp.problem.pair(i, j).allowed:
                raise MeridianError(
                    _("%(name)s is not available to you in this cohort.") % {"name": mentor.user.name}
                )
            if cp.problem.mentors[j].capacity <= 0:
                raise MeridianError(
                    _("%(name)s has no room left for another mentee.") % {"name": mentor.user.name}
                )
            why = explain_pair(cp.problem, i, j, mentor_time=your_time)
            made.append(
                MentorRequest(
                    cohort=mentee.cohort,
                    mentee=mentee,
                    mentor=mentor,
                    message=message.strip()[:NOTE_MAX],
                    score=why.score,
                    summary=mentor_summary(why),
                    deadline=deadline,
                )
            )
        try:
            with transaction.atomic():
                MentorRequest.objects.bulk_create(made)
        except IntegrityError:
            raise MeridianError(_("You asked one of these mentors at the same moment already.")) from None
        for request in made:
            emails.mentor_request(request)  # stored now, sent after commit
    return made


def _check_may_ask(mentee: Enrollment, mentors: Sequence[Enrollment]) -> None:
    limit = mentee.cohort.program.requests_per_mentee
    if has_current_mentorship(mentee):
        raise MeridianError(_("You already have a mentor in this cohort."))
    asked = dict(
        MentorRequest.objects.filter(
            mentee=mentee, status__in=(RequestStatus.PENDING, RequestStatus.DECLINED)
        )
        .values_list("mentor_id", "status")
        .order_by()
    )
    never = set(mentee.excluded.values_list("pk", flat=True))  # a former mentor among them
    for mentor in mentors:
        if mentor.cohort_id != mentee.cohort_id or mentor.role != Role.MENTOR:
            raise MeridianError(_("%(name)s is not a mentor in this cohort.") % {"name": mentor.user.name})
        if mentor.user_id in never:
            raise MeridianError(
                _("%(name)s is on your never-match list (a former mentor, or someone you left out).")
                % {"name": mentor.user.name}
            )
        if asked.get(mentor.pk) == RequestStatus.PENDING:
            raise MeridianError(
                _("You have already asked %(name)s; their answer is on its way.") % {"name": mentor.user.name}
            )
        if asked.get(mentor.pk) == RequestStatus.DECLINED:
            raise MeridianError(_("%(name)s has already answered your request.") % {"name": mentor.user.name})
    waiting = sum(1 for status in asked.values() if status == RequestStatus.PENDING)
    if waiting + len(mentors) > limit:
        left = limit - waiting
        raise MeridianError(
            ngettext(
                "You can have %(limit)d request waiting at a time",
                "You can have %(limit)d requests waiting at a time",
                limit,
            )
            % {"limit": limit}
            + "; "
            + (
                ngettext("choose at most %(left)d mentor.", "choose at most %(left)d mentors.", left)
                % {"left": left}
                if left > 0
                else _("withdraw one to ask someone else.")
            )
        )


def request_accept(*, mentor_request: MentorRequest, reply: str = "") -> Started:
    """The mentor says yes: the mentorship starts, the mentee's other requests close,
    and when the mentor is now full their other waiting requests are declined kindly."""
    requests_expire(Q(pk=mentor_request.pk))
    with transaction.atomic():
        # Mentee, then mentor, then the request: the same order in every accept.
        Enrollment.objects.select_for_update().filter(pk=mentor_request.mentee_id).first()
        Enrollment.objects.select_for_update().filter(pk=mentor_request.mentor_id).first()
        request = _locked(mentor_request)
        started = start(
            mentor=request.mentor,
            mentees=[request.mentee],
            source=MentorshipSource.SELF_SELECT,
            score=request.score,
            why=request.summary,
        )
        now = timezone.now()
        _decide(request, RequestStatus.ACCEPTED, reply, now)
        MentorRequest.objects.filter(mentee=request.mentee, status=RequestStatus.PENDING).update(
            status=RequestStatus.CLOSED, decided_at=now
        )
        declined = []
        if room_left(request.mentor) <= 0:
            waiting = MentorRequest.objects.filter(mentor=request.mentor, status=RequestStatus.PENDING)
            declined = list(waiting.select_related("mentee__user", "mentor__user", "cohort__program"))
            waiting.update(status=RequestStatus.DECLINED, reply=AUTO_REPLY, decided_at=now)
        emails.request_answered(request)  # stored now, sent after commit
        for other in declined:
            other.status, other.reply = RequestStatus.DECLINED, AUTO_REPLY
            emails.request_answered(other)
    return started


def request_decline(*, mentor_request: MentorRequest, reply: str = "", never: bool = False) -> MentorRequest:
    """The mentor says no; with ``never``, matching never proposes the two again."""
    requests_expire(Q(pk=mentor_request.pk))
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=mentor_request.mentor_id).first()  # as accepts do
        request = _locked(mentor_request)
        _decide(request, RequestStatus.DECLINED, reply, timezone.now())
        if never:
            request.mentor.excluded.add(request.mentee.user)
        emails.request_answered(request)  # stored now, sent after commit
    return request


def request_withdraw(*, mentor_request: MentorRequest) -> MentorRequest:
    """The mentee takes a waiting request back."""
    requests_expire(Q(pk=mentor_request.pk))
    with transaction.atomic():
        request = _locked(mentor_request)
        _decide(request, RequestStatus.WITHDRAWN, "", timezone.now())
    return request


def mentor_exclude(*, mentee: Enrollment, mentor: Enrollment) -> None:
    """The mentee never wants ``mentor`` proposed (their manager, a close colleague...):
    the pair is ruled out of recommendations and matching; a waiting request is withdrawn."""
    if mentor.cohort_id != mentee.cohort_id or mentor.role != Role.MENTOR:
        raise MeridianError(_("This person is not a mentor in your cohort."))
    with transaction.atomic():
        Enrollment.objects.select_for_update().filter(pk=mentee.pk).first()
        mentee.excluded.add(mentor.user)
        MentorRequest.objects.filter(mentee=mentee, mentor=mentor, status=RequestStatus.PENDING).update(
            status=RequestStatus.WITHDRAWN, decided_at=timezone.now()
        )


def cohort_mentors(mentee: Enrollment, public_ids: Sequence[str]) -> list[Enrollment]:
    """The approved mentors of the mentee's cohort with these public ids (unknown ids are left out)."""
    ids = []
    for value in public_ids:
        try:
            ids.append(parse_uuid(value))
        except Http404:
            continue
    rows = Enrollment.objects.members().filter(
        cohort_id=mentee.cohort_id, role=Role.MENTOR, public_id__in=ids
    )
    return list(rows.select_related("user"))


def _locked(mentor_request: MentorRequest) -> MentorRequest:
    """The request, locked and still waiting for an answer; else the reason it is not."""
    request = (
        MentorRequest.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "mentee__user", "mentor__user", "mentor__cohort__program")
        .get(pk=mentor_request.pk)
    )
    if request.status == RequestStatus.PENDING and request.deadline <= timezone.now():
        raise MeridianError(_("The time to answer this request has passed."))
    if request.status != RequestStatus.PENDING:
        raise MeridianError(str(CLOSED_BECAUSE.get(request.status, _("This request is closed."))))
    return request


CLOSED_BECAUSE: dict[str, Any] = {
    RequestStatus.ACCEPTED: gettext_lazy("This request was already accepted."),
    RequestStatus.DECLINED: gettext_lazy("This request was already declined."),
    RequestStatus.EXPIRED: gettext_lazy("The time to answer this request has passed."),
    RequestStatus.WITHDRAWN: gettext_lazy("The mentee withdrew this request."),
    RequestStatus.CLOSED: gettext_lazy("The mentee has been matched with another mentor in the meantime."),
}


def _decide(request: MentorRequest, status: str, reply: str, when: Any) -> None:
    request.status, request.reply, request.decided_at = status, reply.strip()[:NOTE_MAX], when
    request.save(update_fields=["status", "reply", "decided_at", "updated_at"])
