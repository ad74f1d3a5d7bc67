"""Re-matching (B7): a mentee whose mentorship ended early asked to be matched again; a
program manager opens their alternatives (the engine's ranked, explained mentors with room
left, the former mentor ruled out by the mentee's never-match list) and confirms one with
one click. Nothing is re-matched automatically. The new mentorship starts through
``mentorships.services.start`` and both people get an introduction, as after publishing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from matching_engine.explain import explain_pair, explain_pairs, zone_time
from matching_engine.runs import rank_mentors
from meridian.core.errors import Conflict, MeridianError
from meridian.matching import adapter, introductions
from meridian.matching.selfselect import run_settings
from meridian.mentorships import closing
from meridian.mentorships.models import Closure, Member, Mentorship, MentorshipSource
from meridian.mentorships.services import start
from meridian.programs.models import Enrollment, Role

LISTED = 10


@dataclass(frozen=True)
class Option:
    mentor: Enrollment
    score: float
    summary: str
    room: int


@dataclass(frozen=True)
class Request:
    closure: Closure
    mentee: Enrollment
    former: list[Enrollment]  # the mentors of the mentorship that ended


def request_of(closure: Closure) -> Request:
    members = list(
        Member.objects.filter(mentorship_id=closure.mentorship_id).select_related(
            "enrollment__user__profile", "enrollment__cohort__program"
        )
    )
    mentee = next(m.enrollment for m in members if m.role == Role.MENTEE)
    return Request(closure, mentee, [m.enrollment for m in members if m.role == Role.MENTOR])


def options(request: Request, *, limit: int = LISTED) -> list[Option]:
    """The mentee's best allowed mentors with room left, best first, each explained (the
    hours in the mentee's zone, named). Empty when the mentee has a mentor again."""
    cohort = request.mentee.cohort
    cp = adapter.build(cohort, run_settings(cohort))
    i = cp.mentee_index(request.mentee.pk)
    if i is None or not cp.mentors:
        return []
    scores, _components, allowed = cp.problem.scores_for(i)
    top = rank_mentors(scores, allowed, limit=limit)
    room = adapter.mentor_room(cohort)
    return [
        Option(cp.mentors[why.mentor], why.score, why.summary, room.get(cp.mentors[why.mentor].pk, 0))
        for why in explain_pairs(cp.problem, [i] * len(top), top, mentee_time=zone_time)
    ]


def rematch_confirm(*, request: Request, mentor: Enrollment) -> Mentorship:
    """Start the mentee's new mentorship with ``mentor``, if the engine allows the pair and
    the mentor has room; the request is answered. All or nothing."""
    closure = request.closure
    if closure.rematch_requested_at is None:
        raise MeridianError(_("The mentee has not asked to be matched again."))
    if closure.rematched_as_id is not None:
        raise Conflict(_("A new mentor has been confirmed already."))
    cohort = request.mentee.cohort
    if mentor.cohort_id != cohort.pk or mentor.role != Role.MENTOR:
        raise MeridianError(_("Pick a mentor of the mentee's cohort."), field="mentor")
    cp = adapter.build(cohort, run_settings(cohort))
    i, j = cp.mentee_index(request.mentee.pk), cp.mentor_index(mentor.pk)
    if i is None:
        raise Conflict(_("The mentee has a mentor again, or is no longer an approved member."))
    if j is None:
        raise MeridianError(
            _("This mentor has no room left, or is no longer an approved member."), field="mentor"
        )
    why = explain_pair(cp.problem, i, j, mentee_time=zone_time)
    if not why.allowed:
        raise MeridianError(_("Not allowed: %(rule)s.") % {"rule": why.forbidden}, field="mentor")
    with transaction.atomic():
        started = start(
            mentor=mentor,
            mentees=[request.mentee],
            source=MentorshipSource.MATCHING,
            score=why.score,
            why=why.summary,
        )
        closing.rematch_done(closure=closure, mentorship=started.mentorship)
        reason = {request.mentee.pk: {"score": why.score, "summary": why.summary}}
        transaction.on_commit(partial(introductions.introduce, [started.mentorship.pk], reason))
    return started.mentorship
