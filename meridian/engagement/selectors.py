"""What engagement's pages read, each through one door, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from meridian.core import permissions
from meridian.core.permissions import Person
from meridian.engagement import pair_words
from meridian.engagement.models import (
    Band,
    ContactLog,
    EmailPreference,
    Escalation,
    Health,
    HealthChange,
    Notice,
    NoticeStatus,
    ObservationRequest,
    ObservationStatus,
    Pause,
    Pulse,
    QueueItem,
    QueueKind,
    Step,
)
from meridian.engagement.queue_digest import waiting
from meridian.mentorships import selectors as mentorship_selectors
from meridian.mentorships.models import Member, Mentorship, UnresponsiveReport
from meridian.programs import selectors as program_selectors
from meridian.programs.models import Program
from meridian.scheduling.models import MeetingStatus

# ---------------------------------------------------------------- health and the check-in queue


def get_queue_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Program:
    """The program whose check-in queue ``user`` opens or works: its managers alone
    (``may_manage_program``, for reading as for writing)."""
    return program_selectors.get_program_for_user(user, public_id, write=True)


def get_queue_item_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> QueueItem:
    """An item of a check-in queue: the program's managers alone (``may_see_health``), else 404."""
    item = (
        QueueItem.objects.select_related("mentorship__program", "mentorship__health")
        .filter(public_id=public_id)
        .first()
    )
    if item is None or not permissions.may_see_health(user, item.mentorship):
        raise Http404
    return item


def get_health_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Mentorship:
    """A mentorship whose health ``user`` reads: its program's managers (``may_see_health``);
    its own members and everyone else get 404."""
    mentorship = mentorship_selectors.get_mentorship_for_user(user, public_id)
    if not permissions.may_see_health(user, mentorship):
        raise Http404
    return mentorship


def _members() -> Prefetch[Any]:
    rows = Member.objects.select_related("user").order_by("-role", "user__name", "id")  # mentors first
    return Prefetch("mentorship__members", queryset=rows)


def _queue_rows() -> QuerySet[QueueItem]:
    reports = UnresponsiveReport.objects.filter(mentorship=OuterRef("mentorship")).order_by(
        "-created_at", "-pk"
    )
    contacts = ContactLog.objects.select_related("manager").order_by("-at", "-id")
    return (
        QueueItem.objects.select_related("mentorship__health", "mentorship__cohort", "mentorship__program")
        .prefetch_related(_members(), Prefetch("contacts", queryset=contacts))
        .annotate(
            report_role=Subquery(reports.values("reporter_role")[:1]),
            report_since=Subquery(reports.values("since")[:1]),
        )
    )


def queue_items(program: Program, today: dt.date) -> QuerySet[QueueItem]:
    """The program's queue on ``today``: open, due and not snoozed, most urgent first, each
    with the pair's health, members, latest unresponsive report and latest contacts.
    Three queries whatever the number of items."""
    return (
        _queue_rows()
        .filter(waiting(today), mentorship__program=program, mentorship__status__in=("active", "paused"))
        .order_by("-urgency", "due_on", "id")
    )


def queue_item(pk: int) -> QueueItem:
    """One item as the queue shows it (after an action: resolved or snoozed too)."""
    return _queue_rows().get(pk=pk)


@dataclass(frozen=True)
class HealthView:
    """A pair's health as its program's managers see it on the overview."""

    health: Health | None
    changes: list[HealthChange]
    items: list[QueueItem]
    contacts: list[ContactLog]


def health_view(mentorship: Mentorship) -> HealthView:
    """The pair's health, band history, open queue items and the managers' contact log
    (four queries)."""
    return HealthView(
        health=Health.objects.filter(mentorship=mentorship).first(),
        changes=list(HealthChange.objects.filter(mentorship=mentorship).order_by("-on", "-id")[:12]),
        items=list(QueueItem.objects.filter(mentorship=mentorship, resolved_at=None)),
        contacts=list(ContactLog.objects.filter(mentorship=mentorship).select_related("manager")[:20]),
    )


# ---------------------------------------------------------------- observing a session (E5)


def get_observation_for_user(
    user: Person, public_id: uuid.UUID, *, write: bool = False
) -> ObservationRequest:
    """A request to observe a session: the program's managers and the pair's current members
    (``may_see_observation``); with ``write``, a manager withdraws and a member answers. Else 404."""
    found = (
        ObservationRequest.objects.select_related("meeting__mentorship__program")
        .filter(public_id=public_id)
        .first()
    )
    if found is None or not permissions.may_see_observation(user, found):
        raise Http404
    return found


# ---------------------------------------------------------------- the suggested next step

_STEPS = {
    "request_end": "Suggest re-matching: talk to both about ending well or a new match.",
    "continue_no": "Suggest re-matching: someone does not want to continue; ask both what would help.",
    "low_pulse": "Call the person who answered the pulse low: ask what would make it work.",
    "no_first_meeting": "Help them book a first meeting: offer both a few times that suit them.",
    "contact_gap": "Call both: ask what gets in the way of meeting and agree the next date.",
    "falling_frequency": "Call both: they meet less and less; agree a cadence they can keep.",
    "cancellations": "Talk to the one who cancels: find out whether the time or the commitment fails.",
    "unanswered": "Message the quiet partner: check they still have time for this.",
    "one_sided": "Message the quiet partner: check they still have time for this.",
    "no_goals": "Help them set a first goal: suggest one from the program's examples.",
    "manager_unanswered": "Try another channel: your last contact got no answer.",
}


def next_step(item: QueueItem) -> str:
    """What the manager could do first, from the item's kind and the pair's worst signal."""
    row: Any = item
    if item.kind == QueueKind.STANDING:
        return "A regular check-in: ask both how it is going and whether they need anything."
    if item.kind == QueueKind.REMATCH:
        return "Suggest re-matching: confirm with the mentee before anything changes."
    if item.kind == QueueKind.CLOSURE:
        return "Call both before the proposed closure: close it well or agree to go on."
    signals = list(getattr(getattr(item.mentorship, "health", None), "signals", None) or [])
    if signals and signals[0] == "report_unresponsive" and row.report_role:
        other = "mentee" if row.report_role == "mentor" else "mentor"
        return f"Call the {other}: the {row.report_role} reports no answer since {row.report_since:%-d %B}."
    for signal in signals:
        if signal in _STEPS:
            return _STEPS[signal]
    return "Call both: ask how it is going and what would help."


# ---------------------------------------------------------------- the pulse


def get_pulse_for_user(user: Person, public_id: uuid.UUID | str, *, write: bool = False) -> Pulse:
    """A pulse for the person asked alone (``may_see_pulse``; with ``write``, answering it,
    ``may_answer_pulse``: still in the mentorship); the partner and everyone else get 404."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    found = Pulse.objects.select_related("mentorship__program", "user").filter(public_id=key).first()
    allowed = permissions.may_answer_pulse if write else permissions.may_see_pulse
    if found is None or not allowed(user, found):
        raise Http404
    return found


def open_pulses(user: Any, now: dt.datetime) -> QuerySet[Pulse]:
    """The person's own pulses (``user``: a signed-in person) still taking answers, in
    mentorships they are in now, the newest first (one query)."""
    from meridian.engagement.pulse import OPEN_DAYS

    mine = Member.objects.filter(user=user, is_current=True).values("mentorship_id")
    return (
        Pulse.objects.filter(
            user=user,
            sent_at__gt=now - dt.timedelta(days=OPEN_DAYS),
            mentorship_id__in=mine,
            mentorship__status__in=("active", "paused"),
        )
        .select_related("mentorship", "user")
        .order_by("-sent_at", "-id")
    )


# ---------------------------------------------------------------- a person's reminder emails


def email_preference_of(user: Person) -> EmailPreference:
    """The person's own choice of single emails or a daily digest (unsaved if never made)."""
    pk = int(user.pk or 0)
    return EmailPreference.objects.filter(user_id=pk).first() or EmailPreference(user_id=pk)


def held_notices_of(user: Person, *, most: int = 20) -> list[Notice]:
    """The person's reminders not emailed: held back by the monthly cap, or waiting for the
    next digest; newest first (one query)."""
    held = (NoticeStatus.CAPPED, NoticeStatus.DIGEST)
    rows = Notice.objects.filter(user_id=int(user.pk or 0), status__in=held, sent_at__isnull=True)
    return list(rows.order_by("-due_at", "-id")[:most])


# ---------------------------------------------------------------- the ladder: pauses and the pair's nudge


def get_pause_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> Pause:
    """A pair's pause: seen by its members and the program's managers (``may_see_pauses``);
    ended early by its current members alone (``may_pause``, with ``write``); else 404."""
    found = Pause.objects.select_related("mentorship__program").filter(public_id=public_id).first()
    allowed = permissions.may_pause if write else permissions.may_see_pauses
    if found is None or not allowed(user, found.mentorship):
        raise Http404
    return found


def pause_section(mentorship: Mentorship, user: Any, *, form: Any = None, done: str = "") -> dict[str, Any]:
    """The pause card (and, for the pair, the ladder's standing nudge or proposed closure):
    two queries, three when a nudge was sent, four when it still stands. ``mentorship``
    comes with its members."""
    from meridian.engagement import pauses
    from meridian.engagement.ladder_forms import PauseForm

    today = pauses.today_for(user)
    rows = pauses.current_pauses(mentorship, today)
    member = any(m.user_id == user.pk and m.is_current for m in mentorship.members.all())
    writer = member and mentorship.status in ("active", "paused")
    context: dict[str, Any] = {
        "mentorship": mentorship,
        "pauses": rows,
        "running": next((p for p in rows if p.starts_on <= today), None),
        "today": today,
        "writer": writer,
        "form": form if form is not None else (PauseForm() if writer else None),
        "done": done,
        "viewer_id": user.pk,
    }
    if member:
        context.update(_standing_ladder(mentorship, today))
    return context


def _standing_ladder(mentorship: Mentorship, today: dt.date) -> dict[str, Any]:
    """The latest nudge while the pair still is not on track and its signs still allow one
    (``pair_words.leading_gap``), with the gap worded for the reader from the pair's own
    facts (never the manager's reason), and a proposed closure that stands."""
    rows = Escalation.objects.filter(
        Q(step__in=(Step.NUDGE, Step.LAST_NUDGE)) | Q(step=Step.CLOSURE, withdrawn_at=None),
        mentorship=mentorship,
    ).order_by("-episode", "-at", "-id")
    found: dict[str, Escalation] = {}
    for esc in rows:
        found.setdefault("closure" if esc.step == Step.CLOSURE else "nudge", esc)
    out: dict[str, Any] = {"closure": found.get("closure"), "nudge": None, "gap": ""}
    if "nudge" in found:
        health = Health.objects.filter(mentorship=mentorship).only("band", "signals").first()
        gap = pair_words.leading_gap(health.signals) if health is not None else None
        if health is not None and health.band in (Band.CHECK_IN, Band.AT_RISK) and gap is not None:
            facts = pair_words.pair_facts([mentorship.pk])[mentorship.pk]
            out["nudge"], out["gap"] = found["nudge"], pair_words.gap_words(gap, facts, today)
    return out


# ---------------------------------------------------------------- a participant's to-dos on the home page


@dataclass(frozen=True)
class Todo:
    """One thing the program asks of a participant, shown on their home page's mentorship card:
    ``kind`` "pulse" (their open pulse), "observe" (a request to observe a session, awaiting
    their answer), "nudge" (time to meet: ``gap`` in their words) or "closure" (the program
    closes the mentorship on ``due`` unless they say it is still going)."""

    kind: str
    url: str
    gap: str = ""
    due: dt.date | None = None
    request: ObservationRequest | None = None


def participant_todos(user: Any, now: dt.datetime) -> dict[int, list[Todo]]:
    """The person's to-dos from engagement in each current mentorship of theirs (keyed by
    its id): three queries whatever their number, four when a nudge stands."""
    from meridian.engagement import pauses
    from meridian.engagement.pulse import OPEN_DAYS

    today = pauses.today_for(user)
    mine = Member.objects.filter(
        user=user, is_current=True, mentorship__status__in=("active", "paused")
    ).values("mentorship_id")
    out: dict[int, list[Todo]] = {}

    def add(mentorship: Mentorship, todo: Todo) -> None:
        out.setdefault(mentorship.pk, []).append(todo)

    def page(mentorship: Mentorship, anchor: str) -> str:
        return f"{reverse('portal:workspace', args=[mentorship.public_id])}#{anchor}"

    for asked in Pulse.objects.filter(
        user=user, answered_at=None, sent_at__gt=now - dt.timedelta(days=OPEN_DAYS), mentorship_id__in=mine
    ).select_related("mentorship"):
        add(asked.mentorship, Todo("pulse", page(asked.mentorship, "pulse-card")))
    for request in (
        ObservationRequest.objects.filter(
            status=ObservationStatus.ASKED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=now,
            meeting__mentorship_id__in=mine,
        )
        .exclude(consents__user=user)
        .select_related("meeting__mentorship", "requested_by")
        .order_by("meeting__starts_at")
    ):
        mentorship = request.meeting.mentorship
        add(
            mentorship,
            Todo("observe", page(mentorship, f"observe-{request.meeting.public_id}"), request=request),
        )
    paused = Pause.objects.filter(mentorship=OuterRef("mentorship"), starts_on__lte=today, ends_on__gte=today)
    standing = (
        Escalation.objects.filter(
            Q(step__in=(Step.NUDGE, Step.LAST_NUDGE)) | Q(step=Step.CLOSURE, withdrawn_at=None),
            mentorship_id__in=mine,
        )
        .annotate(paused=Exists(paused))
        .select_related("mentorship__health")
        .order_by("-episode", "-at", "-id")
    )
    closures: dict[int, Any] = {}
    nudges: dict[int, tuple[Mentorship, str]] = {}
    for esc in standing:  # the newest first: a pair's latest proposal, and its nudge if it stands
        mentorship, pk = esc.mentorship, esc.mentorship_id
        health: Health | None = getattr(mentorship, "health", None)
        bad = health is not None and health.band in (Band.CHECK_IN, Band.AT_RISK) and not esc.paused
        if esc.step == Step.CLOSURE:
            closures.setdefault(pk, esc)
        elif bad and health is not None and (gap := pair_words.leading_gap(health.signals)):
            nudges.setdefault(pk, (mentorship, gap))
    for esc in closures.values():
        add(esc.mentorship, Todo("closure", page(esc.mentorship, "pause-section"), due=esc.due_on))
    facts = pair_words.pair_facts(list(nudges)) if nudges else {}
    for pk, (mentorship, gap) in nudges.items():
        if pk not in closures:  # the proposed closure says it all
            url = reverse("scheduling:schedule", args=[mentorship.public_id])
            add(mentorship, Todo("nudge", url, gap=pair_words.gap_words(gap, facts[pk], today)))
    return out
