"""The escalation ladder: what the program does, step by step, for a pair whose health
slipped. ``advance(today=)`` runs after every sweep, from the stored health.

An *episode* starts when a pair leaves "on track" (or "too early to tell") and ends when
it is back; its number is how many times that has happened. Each step is taken at most
once per episode (``Escalation``'s unique key), so a second run does nothing:

- NUDGE: when a pair needs a check-in or is at risk and a gap leads its signs, each member
  is told the gap in words addressed to them (``pair_words``: from the signal and the
  pair's own facts, never the manager's reason) with three mutual times to propose in one
  click and "did we meet?" answers; LAST_NUDGE ``last_nudge_days`` later if it is still
  not on track. Never more than these two per episode. A pair showing a confidential sign
  (a pulse answer, a report, a wish to end, the manager's unanswered contact) or one side
  going quiet is not nudged: the alert and the queue leave that to the manager.
- ALERT: the program's managers, once the pair has needed a check-in for
  ``alert_after_days`` or is at risk; the pair is put in their check-in queue.
- REMATCH: suggested to the managers (queue) when the pair is still at risk a week after a
  manager's contact logged after the alert, or when an unresponsive partner has not been
  heard from for ``rematch_unresponsive_days`` after the report. Nothing is re-matched here.
- CLOSURE: after ``closure_after_days`` with no two-sided contact (paused days not
  counted) both members and the managers are told it will close in
  ``closure_notice_days`` unless someone answers "still going"; CLOSED: then, unanswered
  and still without contact, it closes (``closing.mentorship_close_unanswered``) and both
  members are asked for their reflection (the closing survey).

Paused pairs (a ``Pause`` covering today) take no step. The reads are set-based (a fixed
number of queries whatever the number of pairs); the writes are per step taken."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.engagement import ladder_notices as tell
from meridian.engagement import pair_words, queue
from meridian.engagement.models import (
    Band,
    ContactLog,
    Escalation,
    Health,
    HealthChange,
    LadderSettings,
    Pause,
    QueueKind,
    Step,
)
from meridian.mentorships import closing
from meridian.mentorships.models import CheckIn, Member, Mentorship, MentorshipStatus, UnresponsiveReport
from meridian.messaging.models import Message
from meridian.scheduling.models import Meeting, MeetingStatus

GOOD = (Band.ON_TRACK, Band.TOO_EARLY)
BAD = (Band.CHECK_IN, Band.AT_RISK)
CURRENT = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)
logger = logging.getLogger(__name__)
STILL_AT_RISK_DAYS = 7  # the issue: at risk a week after the manager's contact


def settings_for(program_ids: Iterable[int]) -> dict[int, LadderSettings]:
    """Each program's ladder, the defaults (unsaved) for a program without a row."""
    ids = set(program_ids)
    found = {s.program_id: s for s in LadderSettings.objects.filter(program_id__in=ids)}
    return {pk: found.get(pk) or LadderSettings(program_id=pk) for pk in ids}


@dataclass
class Pair:
    """What the ladder knows about one current relationship, read in bulk."""

    health: Health
    episode: int
    ladder: LadderSettings
    members: list[Member] = field(default_factory=list)
    steps: dict[tuple[int, str], Escalation] = field(default_factory=dict)
    paused_days: list[tuple[dt.date, dt.date]] = field(default_factory=list)  # inclusive
    contacts: list[dt.datetime] = field(default_factory=list)  # the managers' logged contacts
    report: UnresponsiveReport | None = None  # the latest
    partner_heard_at: dt.datetime | None = None  # since that report

    @property
    def mentorship(self) -> Mentorship:
        return self.health.mentorship

    def step(self, step: str) -> Escalation | None:
        return self.steps.get((self.episode, step))

    def paused_on(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self.paused_days)

    def quiet_days(self, today: dt.date) -> int:
        """Days without two-sided contact (since the start when there was none), less paused days."""
        last = self.health.last_activity_at
        since = last.date() if last else self.mentorship.started_on
        paused = sum(
            max(0, (min(end, today) - max(start, since)).days + 1) for start, end in self.paused_days
        )
        return (today - since).days - paused


def episodes(changes: Iterable[tuple[int, str, str]], bands: dict[int, str]) -> dict[int, int]:
    """Each pair's episode number from its band changes (in order) and its band now: how
    many times it left on track (or too early), counting a start that was not."""
    count: dict[int, int] = defaultdict(int)
    first: dict[int, str] = {}
    for pk, old, new in changes:
        first.setdefault(pk, old)
        if old in GOOD and new in BAD:
            count[pk] += 1
    return {pk: count[pk] + (first.get(pk, band) in BAD) for pk, band in bands.items()}


def _pairs(today: dt.date) -> list[Pair]:
    healths = list(
        Health.objects.filter(mentorship__status__in=CURRENT).select_related("mentorship__program")
    )
    ids = [h.mentorship_id for h in healths]
    changes = HealthChange.objects.filter(mentorship_id__in=ids).order_by("mentorship_id", "on", "id")
    numbers = episodes(
        changes.values_list("mentorship_id", "old_band", "new_band"),
        {h.mentorship_id: h.band for h in healths},
    )
    ladders = settings_for(h.mentorship.program_id for h in healths)
    pairs = {
        h.mentorship_id: Pair(h, numbers[h.mentorship_id], ladders[h.mentorship.program_id]) for h in healths
    }
    for member in Member.objects.filter(mentorship_id__in=ids, is_current=True).select_related(
        "user__profile"
    ):
        pairs[member.mentorship_id].members.append(member)
    for esc in Escalation.objects.filter(mentorship_id__in=ids):
        pairs[esc.mentorship_id].steps[(esc.episode, esc.step)] = esc
    for pause in Pause.objects.filter(mentorship_id__in=ids, starts_on__lte=today):
        pairs[pause.mentorship_id].paused_days.append((pause.starts_on, pause.ends_on))
    for pk, at in ContactLog.objects.filter(mentorship_id__in=ids).values_list("mentorship_id", "at"):
        pairs[pk].contacts.append(at)
    for report in UnresponsiveReport.objects.filter(mentorship_id__in=ids).order_by("created_at"):
        pairs[report.mentorship_id].report = report
    _partners_heard(pairs)
    return list(pairs.values())


def _partners_heard(pairs: dict[int, Pair]) -> None:
    """For each pair with a report: the partner's latest message, check-in or held meeting after it."""
    reported = {pk: p.report for pk, p in pairs.items() if p.report is not None}
    if not reported:
        return
    after = min(r.created_at for r in reported.values())
    rows: list[tuple[int, int | None, dt.datetime]] = list(
        Message.objects.filter(thread__mentorship_id__in=reported, created_at__gt=after).values_list(
            "thread__mentorship_id", "author_id", "created_at"
        )
    )
    rows += CheckIn.objects.filter(mentorship_id__in=reported, created_at__gt=after).values_list(
        "mentorship_id", "author_id", "created_at"
    )
    rows += [
        (pk, None, at)
        for pk, at in Meeting.objects.filter(
            mentorship_id__in=reported, status=MeetingStatus.HELD, starts_at__gt=after
        ).values_list("mentorship_id", "starts_at")
        if at is not None
    ]
    for pk, author, at in rows:
        report = reported[pk]
        if at > report.created_at and author != report.reporter_id:
            heard = pairs[pk].partner_heard_at
            pairs[pk].partner_heard_at = max(heard, at) if heard else at


def _take(pair: Pair, step: str, *, due_on: dt.date | None = None) -> Escalation | None:
    """Record ``step`` for the pair's episode; None when it was taken already (another run)."""
    try:
        with transaction.atomic():
            esc = Escalation.objects.create(
                mentorship=pair.mentorship, episode=pair.episode, step=step, due_on=due_on
            )
    except IntegrityError:
        return None
    pair.steps[(pair.episode, step)] = esc
    return esc


def advance(*, today: dt.date) -> Counter[str]:
    """Take the steps that are due for every relationship, from its stored health."""
    done: Counter[str] = Counter()
    for pair in _pairs(today):
        standing = any(s == Step.CLOSURE and e.withdrawn_at is None for (_n, s), e in pair.steps.items())
        if pair.paused_on(today) or not (standing or pair.health.band in BAD):
            continue  # nothing to do: no writes, not even a savepoint
        try:
            with transaction.atomic():
                _settle_closure(pair, today, done)
                if pair.mentorship.status in CURRENT and pair.health.band in BAD:
                    _climb(pair, today, done)
        except Exception:  # one pair's failure (logged) must not stop the others' steps
            logger.exception("ladder: mentorship %s failed", pair.mentorship.pk)
            done["failed"] += 1
    return done


def _climb(pair: Pair, today: dt.date, done: Counter[str]) -> None:
    health, ladder = pair.health, pair.ladder
    nudge = pair.step(Step.NUDGE)
    gap = pair_words.leading_gap(health.signals)  # None: the pair is not nudged (the manager's call)
    if ladder.nudges and gap and nudge is None and (esc := _take(pair, Step.NUDGE)):
        done["nudge"] += 1
        done["notices"] += tell.nudge(pair.mentorship, pair.members, gap, esc, today=today, last=False)
    elif (
        ladder.nudges
        and gap
        and nudge is not None
        and pair.step(Step.LAST_NUDGE) is None
        and timezone.localdate(nudge.at) <= today - dt.timedelta(days=ladder.last_nudge_days)
        and (esc := _take(pair, Step.LAST_NUDGE))
    ):
        done["last_nudge"] += 1
        done["notices"] += tell.nudge(pair.mentorship, pair.members, gap, esc, today=today, last=True)
    at_risk = health.band == Band.AT_RISK
    alert_due = at_risk or (today - health.band_since).days >= ladder.alert_after_days
    if ladder.alerts and alert_due and pair.step(Step.ALERT) is None and (esc := _take(pair, Step.ALERT)):
        queue.open_item(
            mentorship=pair.mentorship,
            kind=QueueKind.AT_RISK if at_risk else QueueKind.HEALTH,
            reason=tell.top_reason(health),
            urgency=queue.urgency(health.band, health.score),
            due_on=today,
        )
        done["alert"] += 1
        done["notices"] += tell.alert(pair.mentorship, health, esc)
    why = _rematch_why(pair, today)
    if (
        ladder.rematch_suggestions
        and why
        and pair.step(Step.REMATCH) is None
        and (esc := _take(pair, Step.REMATCH))
    ):
        queue.open_item(
            mentorship=pair.mentorship, kind=QueueKind.REMATCH, reason=why, urgency=300, due_on=today
        )
        done["rematch"] += 1
        done["notices"] += tell.rematch(pair.mentorship, why, esc)
    quiet = pair.quiet_days(today)
    if ladder.closures and quiet >= ladder.closure_after_days and pair.step(Step.CLOSURE) is None:
        due_on = today + dt.timedelta(days=ladder.closure_notice_days)
        if esc := _take(pair, Step.CLOSURE, due_on=due_on):
            reason = tell.quiet_reason(quiet)
            queue.open_item(
                mentorship=pair.mentorship, kind=QueueKind.CLOSURE, reason=reason, urgency=250, due_on=today
            )
            done["closure"] += 1
            done["notices"] += tell.closure_proposed(pair.mentorship, pair.members, quiet, esc)


def _rematch_why(pair: Pair, today: dt.date) -> str:
    """Why re-matching is worth suggesting now, or ""."""
    alert = pair.step(Step.ALERT)
    week_ago = today - dt.timedelta(days=STILL_AT_RISK_DAYS)
    if (
        pair.health.band == Band.AT_RISK
        and alert is not None
        and any(at >= alert.at and timezone.localdate(at) <= week_ago for at in pair.contacts)
    ):
        return tell.rematch_after_contact()
    report, days = pair.report, pair.ladder.rematch_unresponsive_days
    if report is None or timezone.localdate(report.created_at) > today - dt.timedelta(days=days):
        return ""
    if pair.partner_heard_at is not None:
        return ""
    return tell.rematch_unresponsive(report, days)


def _settle_closure(pair: Pair, today: dt.date, done: Counter[str]) -> None:
    """A proposed closure that stands: withdrawn if the pair has been in touch since, else
    closed once its notice has run out."""
    for (_episode, step), esc in list(pair.steps.items()):
        if step != Step.CLOSURE or esc.withdrawn_at is not None or esc.due_on is None:
            continue
        if any(s == Step.CLOSED and e == esc.episode for e, s in pair.steps):
            continue
        last = pair.health.last_activity_at
        if last is not None and last > esc.at:
            Escalation.objects.filter(pk=esc.pk).update(withdrawn_at=timezone.now())
            done["closure_withdrawn"] += 1
        elif esc.due_on <= today and pair.mentorship.status in CURRENT:
            _close(pair, esc, done)


def _close(pair: Pair, proposal: Escalation, done: Counter[str]) -> None:
    try:
        with transaction.atomic():
            Escalation.objects.create(mentorship=pair.mentorship, episode=proposal.episode, step=Step.CLOSED)
    except IntegrityError:
        return
    if closing.mentorship_close_unanswered(mentorship=pair.mentorship) is not None:
        done["closed"] += 1
        done["notices"] += tell.closed(pair.mentorship, pair.members, proposal)


def withdraw_closure(mentorship: Mentorship) -> int:
    """Withdraw the pair's standing proposed closure (they answered, or declared a pause)."""
    closed = Escalation.objects.filter(mentorship=mentorship, step=Step.CLOSED).values("episode")
    return (
        Escalation.objects.filter(mentorship=mentorship, step=Step.CLOSURE, withdrawn_at=None)
        .exclude(episode__in=closed)
        .update(withdrawn_at=timezone.now())
    )


def still_going(*, mentorship: Mentorship, user: Any) -> int:
    """A member answers "still going": the proposed closure is withdrawn and a quick
    check-in records the answer (contact the history sees). Returns how many were withdrawn."""
    from meridian.mentorships import checkins
    from meridian.mentorships.models import Mood

    with transaction.atomic():
        if not permissions.takes_part(user, mentorship):
            raise MeridianError(_("Only the people in this mentorship answer for it."))
        withdrawn = withdraw_closure(mentorship)
        checkins.checkin_create(mentorship=mentorship, user=user, mood=Mood.OKAY, line=_("Still going."))
    return withdrawn
