"""``manage.py demo_engagement``: the demo's running cohort gets two months of life (after
``demo_workspace``), so that its manager sees pairs in every band with their reasons, a
queue with work in it and a pair that recovered.

Its pairs started with the cohort (a late match a few days ago); most meet every two weeks,
write between meetings, set a goal and answer the pulse well. A few do not, each in its own
way: no first meeting yet, meetings cancelled by the mentor, a low pulse, a partner
reported unresponsive, a meeting overdue, a message left unanswered. One pair is on
holiday (a declared pause) and one was at risk three weeks ago and is back on track after
the manager's call and a meeting. The rows are written directly, dated in the past
(metadata only; nobody is emailed), then the sweep is replayed weekly over the last four
weeks and run for today (which advances the ladder and fills the queue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone

from meridian.accounts.models import User
from meridian.engagement.models import ContactLog, Health, Pause, Pulse
from meridian.engagement.sweep import sweep
from meridian.mentorships.models import Goal, Member, Mentorship, UnresponsiveReport
from meridian.messaging.models import Message, Thread
from meridian.programs.demo import demo_logins, running_cohort
from meridian.scheduling.models import EventKind, Meeting, MeetingEvent, MeetingStatus

MANAGER = "programs@meridian.example"
GOALS = (
    "Prepare for a team lead role",
    "Present with confidence to senior leaders",
    "Understand how the business makes money",
    "Build a network outside my team",
    "Plan my next two years",
)
# (the mentee's, the mentor's answer) the day after a meeting
TALK = (
    (
        "Thanks for today, the framework helps a lot.",
        "Glad it did. Try it this week and tell me how it went.",
    ),
    ("I wrote down my three next steps.", "Good. Bring them next time and we will see how far you got."),
)
REPLAY_WEEKS = 4  # the sweep replayed weekly over the last four weeks, then today


@contextmanager
def own_times(model: type[models.Model]) -> Iterator[None]:
    """Rows written inside keep the creation times they were given (``auto_now_add`` off)."""
    fields = [f for f in model._meta.concrete_fields if getattr(f, "auto_now_add", False)]
    for f in fields:
        f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True  # type: ignore[attr-defined]


class Rows:
    """The rows of every story, written model by model in bulk, each dated as told (rows of
    ``DATED`` carry their own creation time)."""

    ORDER = (Thread, Meeting, MeetingEvent, Message, Goal, Pulse, UnresponsiveReport, ContactLog, Pause)
    DATED = (MeetingEvent, Message, Goal, UnresponsiveReport)

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[Any]] = {model: [] for model in self.ORDER}

    def add(self, row: models.Model, stamp: tuple[str, dt.datetime] | None = None) -> None:
        if stamp is not None:
            setattr(row, *stamp)
        self.rows[type(row)].append(row)

    def save(self) -> None:
        for model in self.ORDER:
            with own_times(model) if model in self.DATED else nullcontext():
                model._default_manager.bulk_create(self.rows[model], batch_size=500)


class Pair:
    """One demo relationship and the rows its story adds, dated in the past."""

    def __init__(
        self, mentorship: Mentorship, mentor: User, mentee: User, now: dt.datetime, rows: Rows
    ) -> None:
        self.mentorship, self.mentor, self.mentee, self.now, self.rows = mentorship, mentor, mentee, now, rows
        self.age = (now.date() - mentorship.started_on).days
        self.thread: Thread | None = None

    def at(self, days_ago: float, hour: int = 10) -> dt.datetime:
        """A moment ``days_ago`` (never before the start: a story is told within its age)."""
        days_ago = min(days_ago, self.age - 1)
        return (self.now - dt.timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)

    def who(self, role: str) -> User:
        return self.mentor if role == "mentor" else self.mentee

    def _meeting(self, start: dt.datetime, status: str) -> Meeting:
        meeting = Meeting(
            mentorship=self.mentorship,
            status=status,
            starts_at=start,
            minutes=self.mentorship.program.meeting_minutes,
            proposed_by=self.mentor,
        )
        self.rows.add(meeting)
        return meeting

    def meeting(
        self, days_ago: float, status: str = MeetingStatus.HELD, cancelled_by: str = "mentor"
    ) -> None:
        start = self.at(days_ago, 15)
        meeting = self._meeting(start, status)
        self.event(meeting, EventKind.ACCEPTED, self.mentee, start - dt.timedelta(days=6), new_start=start)
        if status == MeetingStatus.HELD:
            self.event(meeting, EventKind.HELD, self.mentee, start + dt.timedelta(hours=1))
        elif status == MeetingStatus.CANCELLED:
            self.event(meeting, EventKind.CANCELLED, self.who(cancelled_by), start - dt.timedelta(days=1))

    def booked(self, days_ahead: int) -> None:
        start = self.at(-days_ahead, 15)
        self.event(
            self._meeting(start, MeetingStatus.SCHEDULED),
            EventKind.ACCEPTED,
            self.mentee,
            self.at(1),
            new_start=start,
        )

    def event(self, meeting: Meeting, kind: str, actor: User, when: dt.datetime, **fields: Any) -> None:
        self.rows.add(MeetingEvent(meeting=meeting, kind=kind, actor=actor, **fields), ("at", when))

    def message(self, days_ago: float, role: str, text: str, hour: int = 18) -> None:
        if self.thread is None:
            self.thread = Thread(mentorship=self.mentorship)
            self.rows.add(self.thread)
        when = self.at(days_ago, hour)
        self.rows.add(Message(thread=self.thread, author=self.who(role), body=text), ("created_at", when))

    def talk(self, days_ago: float) -> None:
        """A message each way the day after a meeting."""
        mentee, mentor = TALK[int(days_ago) % len(TALK)]
        self.message(days_ago - 1, "mentee", mentee, 9)
        self.message(days_ago - 1, "mentor", mentor, 17)

    def goal(self, days_ago: float, title: str) -> None:
        goal = Goal(mentorship=self.mentorship, title=title, created_by=self.mentee)
        self.rows.add(goal, ("created_at", self.at(days_ago)))

    def pulse(self, number: int, days_ago: float, mentor: int | None, mentee: int | None) -> None:
        for role, rating in (("mentor", mentor), ("mentee", mentee)):
            pulse = Pulse(
                mentorship=self.mentorship,
                user=self.who(role),
                role=role,
                number=number,
                due_on=self.at(days_ago + 1).date(),
                sent_at=self.at(days_ago + 1, 8),
                answered_at=self.at(days_ago, 12) if rating else None,
                rating=rating,
                met="yes" if rating and rating > 2 else ("no" if rating else ""),
                wants_continue="yes" if rating else "",
            )
            self.rows.add(pulse)

    def report(self, days_ago: float) -> None:
        report = UnresponsiveReport(
            mentorship=self.mentorship,
            reporter=self.mentee,
            reporter_role="mentee",
            since=self.at(days_ago + 14).date(),
            tried="Two messages here and an email; no answer yet.",
        )
        self.rows.add(report, ("created_at", self.at(days_ago)))

    def contact(self, manager: User, days_ago: float, outcome: str, note: str) -> None:
        self.rows.add(
            ContactLog(
                mentorship=self.mentorship, manager=manager, channel="call", outcome=outcome,
                note=note, at=self.at(days_ago, 11),
            )
        )  # fmt: skip

    def pause(self, days_ago: int, days: int, reason: str) -> None:
        start = self.at(days_ago).date()
        self.rows.add(
            Pause(
                mentorship=self.mentorship, starts_on=start, ends_on=start + dt.timedelta(days=days),
                reason=reason, declared_by=self.mentor,
            )
        )  # fmt: skip


def steady(p: Pair, n: int) -> None:
    """Meets every two weeks (the program's cadence), writes in between, answers the pulse well."""
    for days in range(p.age - 4 - n % 5, 0, -14):
        p.meeting(days)
        p.talk(days)
    p.goal(50, GOALS[n % len(GOALS)])
    p.pulse(1, 45, 4 + n % 2, 5)
    p.pulse(2, 29, 5, 4 + (n + 1) % 2)
    p.booked(3 + n % 7)


def never_met(p: Pair, n: int) -> None:
    p.message(58, "mentor", "Welcome! When would suit you for a first call?")
    p.message(41, "mentor", "Hi again, shall we find a time this week?")


def mentor_cancels(p: Pair, n: int) -> None:
    p.meeting(54)
    p.talk(54)
    p.meeting(40)
    p.goal(40, GOALS[n % len(GOALS)])
    for days in (26, 19, 5):
        p.meeting(days, MeetingStatus.CANCELLED, cancelled_by="mentor")
    p.message(4, "mentee", "No problem. Could we find another time next week?")


def low_pulse(p: Pair, n: int) -> None:
    steady(p, n)
    second = next(
        r for r in p.rows.rows[Pulse] if isinstance(r, Pulse) and r.number == 2 and r.user == p.mentee
    )
    second.rating, second.met = 2, "no"


def reported(p: Pair, n: int) -> None:
    p.meeting(52)
    p.talk(52)
    p.goal(50, GOALS[n % len(GOALS)])
    p.meeting(38)
    p.message(27, "mentee", "Hi, are we still on for Tuesday?")
    p.message(18, "mentee", "Checking in again: shall we pick a new date?")
    p.report(9)


def overdue(p: Pair, n: int) -> None:
    """The last meeting almost five weeks ago: needs a check-in."""
    for days in (48, 34):
        p.meeting(days)
        p.talk(days)
    p.goal(48, GOALS[n % len(GOALS)])
    p.pulse(1, 45, 4, 4)
    p.pulse(2, 29, 4, None)


def unanswered(p: Pair, n: int) -> None:
    """Met four weeks ago; the mentee's last message waits for an answer."""
    for days in (56, 42, 28):
        p.meeting(days)
        p.talk(days)
    p.goal(48, GOALS[n % len(GOALS)])
    p.message(12, "mentee", "I have sent my draft plan: could you look at it before we meet?")


def on_holiday(p: Pair, n: int) -> None:
    for days in (57, 43, 29):
        p.meeting(days)
        p.talk(days)
    p.goal(50, GOALS[n % len(GOALS)])
    p.pulse(1, 45, 5, 4)
    p.pause(24, 32, "Parental leave (the mentor)")


def recovered(p: Pair, n: int, manager: User) -> None:
    """At risk three weeks ago (the mentor had gone quiet and the mentee reported it), then
    the manager called, and they met again."""
    p.meeting(55)
    p.talk(55)
    p.goal(52, GOALS[n % len(GOALS)])
    p.message(38, "mentee", "Hi, could we meet this week?")
    p.report(23)
    p.contact(manager, 19, "helped", "Called the mentor: a busy quarter. They will book a meeting this week.")
    p.message(18, "mentor", "Sorry for the silence: a hard few weeks. Thursday at 3?")
    p.message(18, "mentee", "Thursday works, thank you!", hour=20)
    p.meeting(15)
    p.talk(15)
    p.meeting(1)
    p.pulse(2, 12, 4, 4)
    p.booked(13)


def late_match(p: Pair, n: int) -> None:
    """Matched a few days ago: too early to tell."""
    Mentorship.objects.filter(pk=p.mentorship.pk).update(started_on=p.at(6).date())
    p.age = 6
    p.message(5, "mentor", "Welcome! I am looking forward to working with you.")
    p.message(4, "mentee", "Thank you! I have booked our first call.")
    p.booked(2)


STORIES: tuple[Callable[[Pair, int], None], ...] = (
    never_met,
    mentor_cancels,
    low_pulse,
    reported,
    overdue,
    unanswered,
    on_holiday,
    late_match,
    late_match,
)

FLAGGED = 6  # the first six stories end flagged; every EVERY pairs tell them again
EVERY = 30


class Command(BaseCommand):
    help = (
        "Give the demo's running cohort two months of activity and sweep its health (after demo_workspace)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cohort = running_cohort()
        manager = User.objects.filter(email=MANAGER).first()
        if cohort is None or manager is None or Health.objects.filter(mentorship__cohort=cohort).exists():
            self.stdout.write("No demo cohort without health here: nothing added.")
            return
        printed = demo_logins()
        now = timezone.now()
        with transaction.atomic():
            Mentorship.objects.filter(cohort=cohort, started_on__gt=cohort.starts_on).update(
                started_on=cohort.starts_on
            )
            rows = Rows()
            for n, pair in enumerate(self._pairs(cohort.pk, now, printed.mentor if printed else "", rows)):
                story = (n - 1) % EVERY
                if n == 0:
                    recovered(pair, n, manager)
                elif story < len(STORIES) and (n <= EVERY or story < FLAGGED):
                    STORIES[story](pair, n)
                else:
                    steady(pair, n)
            rows.save()
        today = now.date()
        for weeks in range(REPLAY_WEEKS, 0, -1):
            sweep(today - dt.timedelta(weeks=weeks), escalate=False)
        report = sweep(today)
        self.stdout.write(f"Health of the running cohort: {report.summary()}.")

    def _pairs(self, cohort_id: int, now: dt.datetime, printed_mentor: str, rows: Rows) -> list[Pair]:
        """The cohort's current pairs in a stable order, the printed pair left as it is."""
        mentorships: dict[int, Mentorship] = {}
        people: dict[int, dict[str, User]] = {}
        for member in Member.objects.filter(
            mentorship__cohort_id=cohort_id, mentorship__kind="pair", is_current=True
        ).select_related("user", "mentorship__program"):
            mentorships[member.mentorship_id] = member.mentorship
            people.setdefault(member.mentorship_id, {})[member.role] = member.user
        threads = {t.mentorship_id: t for t in Thread.objects.filter(mentorship__cohort_id=cohort_id)}
        pairs = []
        for pk, found in sorted(people.items()):
            if {"mentor", "mentee"} <= found.keys() and found["mentor"].email != printed_mentor:
                pairs.append(Pair(mentorships[pk], found["mentor"], found["mentee"], now, rows))
                pairs[-1].thread = threads.get(pk)
        return pairs
