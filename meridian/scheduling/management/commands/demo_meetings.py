"""``manage.py demo_meetings``: the demo's meetings, after ``demo_matching``.

The printed mentor's and mentee's mentorship (a pair across zones) gets the program's
conversation guide, three meetings held in the last six weeks (agenda, notes, recap, action
items, some done), and a weekly series from next week at a time that suits both, long
enough to cross the next clock change of either zone; invitations kept quiet."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from meridian.accounts.models import User
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.demo import demo_logins
from meridian.scheduling import finder, guide, services
from meridian.scheduling.models import ActionItem, EventKind, Meeting, MeetingEvent, MeetingStatus
from meridian.scheduling.notes import suggested_agenda

QUIET = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Give the demo pairs their meetings (after demo_matching)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if logins is None:
            self.stdout.write("No demo organisation here: no meetings to add.")
            return
        mentor_of = Mentorship.objects.filter(members__user__email=logins.mentor, members__is_current=True)
        mentorships = mentor_of.filter(members__user__email=logins.mentee).distinct()
        with override_settings(EMAIL_BACKEND=QUIET):
            for mentorship in mentorships:
                if mentorship.meetings.exists():
                    continue
                guide.guide_seed(program=mentorship.program)
                members = list(
                    Member.objects.filter(mentorship=mentorship, is_current=True).select_related(
                        "user__profile"
                    )
                )
                mentor = next(m.user for m in members if m.role == "mentor")
                mentee = next(m.user for m in members if m.role == "mentee")
                first = self._first_start(mentorship, mentor, [m.user for m in members])
                self._held_meetings(mentorship, mentor, mentee, first)
                if first is not None:
                    self._series(mentorship, mentor, mentee, first)
                self.stdout.write(f"Meetings for {mentor.name} and {mentee.name}.")

    def _first_start(self, mentorship: Mentorship, mentor: User, people: list[User]) -> dt.datetime | None:
        """The best time for both from next week on (None if they share none)."""
        week_ahead = timezone.now() + dt.timedelta(days=6)
        minutes = mentorship.program.meeting_minutes
        found = finder.mutual(people, mentor, weeks=2, minutes=minutes, now=week_ahead)
        starts = [s for day in found.days for slot in day.slots if slot.best for s in slot.starts]
        starts = starts or [s for day in found.days for slot in day.slots for s in slot.starts]
        return starts[0] if starts else None

    def _held_meetings(
        self, mentorship: Mentorship, mentor: User, mentee: User, first: dt.datetime | None
    ) -> None:
        """Held at the weekly time they keep (noon UTC if they have none)."""
        today = timezone.localdate()
        usual = first or (timezone.now() + dt.timedelta(days=7)).replace(hour=12)
        usual = usual.replace(minute=0, second=0, microsecond=0)
        while usual > timezone.now():
            usual -= dt.timedelta(weeks=1)
        for weeks_ago, title, notes, recap, actions in HELD:
            start = usual - dt.timedelta(weeks=weeks_ago - 1)
            meeting = Meeting.objects.create(
                mentorship=mentorship,
                status=MeetingStatus.HELD,
                starts_at=start,
                minutes=mentorship.program.meeting_minutes,
                proposed_by=mentor,
                title=title,
                shared_notes=notes,
                recap=recap,
            )
            meeting.agenda = suggested_agenda(meeting)
            meeting.save(update_fields=["agenda"])
            for kind, actor in (
                (EventKind.PROPOSED, mentor),
                (EventKind.ACCEPTED, mentee),
                (EventKind.HELD, mentee),
            ):
                MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor)
            for owner_is_mentee, text, due_days, done in actions:
                due = start.date() + dt.timedelta(days=due_days)
                ActionItem.objects.create(
                    mentorship=mentorship,
                    meeting=meeting,
                    owner=mentee if owner_is_mentee else mentor,
                    created_by=mentor,
                    text=text,
                    due_on=due,
                    done_at=timezone.now() - dt.timedelta(days=max(0, (today - due).days) + 1)
                    if done
                    else None,
                )

    def _series(self, mentorship: Mentorship, mentor: User, mentee: User, first: dt.datetime) -> None:
        program = mentorship.program
        starts = [first]
        change = next_clock_change(starts[0], [mentor.time_zone, mentee.time_zone])
        weeks = (change - starts[0]).days // 7 + 3 if change else 8
        proposal = services.MeetingProposal(
            starts=starts[:1],
            minutes=program.meeting_minutes,
            repeat_weeks=1,
            repeat_count=min(max(weeks, 2), services.MAX_REPEATS),
            title="Mentoring session",
        )
        meeting = services.meeting_propose(mentorship=mentorship, user=mentor, proposal=proposal)
        services.meeting_accept(meeting=meeting, user=mentee, start=starts[0])


def next_clock_change(after: dt.datetime, zones: list[str]) -> dt.datetime | None:
    """The first moment within 48 weeks of ``after`` where one of ``zones`` changes its UTC offset
    (to the day)."""
    tzs = [ZoneInfo(z) for z in zones if z]
    for day in range(1, 48 * 7):
        moment, previous = after + dt.timedelta(days=day), after + dt.timedelta(days=day - 1)
        if any(moment.astimezone(tz).utcoffset() != previous.astimezone(tz).utcoffset() for tz in tzs):
            return moment
    return None


# (weeks ago, title, shared notes, recap, action items: (the mentee's?, text, due in days, done?))
HELD = (
    (
        6,
        "Getting to know each other",
        "Talked about our backgrounds, our teams and what each of us wants from the program.\n"
        "We work five hours apart: mornings for one are afternoons for the other, which suits us.\n"
        "Agreed to meet every week by video, phone as the fallback.",
        "A warm start. Next time: the goals for the next three months.",
        (
            (True, "Write down three goals for the next quarter", 7, True),
            (False, "Share the reading list on giving feedback", 5, True),
        ),
    ),
    (
        4,
        "Goals for the quarter",
        "Went through the three goals. The first (leading the next release review) is the most\n"
        "urgent; the second needs a sponsor in the team. Practised the opening of the review.",
        "Clear goals. Next: a dry run of the release review.",
        (
            (True, "Ask my manager to sponsor the second goal", 10, True),
            (False, "Introduce a colleague who ran the last release review", 7, False),
        ),
    ),
    (
        2,
        "Dry run of the release review",
        "Ran the review as if live. Strong on the facts; the ask at the end was buried.\n"
        "Rewrote the last slide together: one decision, one owner, one date.",
        "Much better second pass. Next: how it went, and feedback from the room.",
        (
            (True, "Collect feedback from two people after the real review", 12, False),
            (True, "Draft the one-page summary of the review", 5, True),
        ),
    ),
)
