"""``manage.py demo_meetings``: the demo's meetings, after ``demo_matching``.

The printed mentor's and mentee's mentorships get the program's conversation guide, a
first meeting held two weeks ago (agenda, notes, recap, action items, one done), and a
repeating series from next week at a time that suits both, invitations kept quiet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from meridian.accounts.models import User
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.demo import demo_logins
from meridian.scheduling import finder, services, workspace
from meridian.scheduling.models import ActionItem, EventKind, Meeting, MeetingEvent, MeetingStatus

QUIET = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Give the demo pairs their meetings (after demo_matching)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if logins is None:
            self.stdout.write("No demo organisation here: no meetings to add.")
            return
        emails = (logins.mentor, logins.mentee)
        mentorships = Mentorship.objects.filter(
            members__user__email__in=emails, members__is_current=True
        ).distinct()
        with override_settings(EMAIL_BACKEND=QUIET):
            for mentorship in mentorships:
                if mentorship.meetings.exists():
                    continue
                workspace.seed_guide(mentorship.program)
                members = list(
                    Member.objects.filter(mentorship=mentorship, is_current=True).select_related(
                        "user__profile"
                    )
                )
                mentor = next(m.user for m in members if m.role == "mentor")
                mentee = next(m.user for m in members if m.role == "mentee")
                self._first_meeting(mentorship, mentor, mentee)
                self._series(mentorship, mentor, mentee, [m.user for m in members])
                self.stdout.write(f"Meetings for {mentor.name} and {mentee.name}.")

    def _first_meeting(self, mentorship: Mentorship, mentor: User, mentee: User) -> None:
        start = (timezone.now() - dt.timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            status=MeetingStatus.HELD,
            starts_at=start,
            minutes=mentorship.program.meeting_minutes,
            proposed_by=mentor,
            title="Getting to know each other",
            shared_notes="Talked about our backgrounds and what each of us wants from the program.\n"
            "Agreed to meet every few weeks by video, phone as the fallback.",
            recap="A warm start. Next time: the goals for the next three months.",
        )
        meeting.agenda = workspace.suggested_agenda(meeting)
        meeting.save(update_fields=["agenda"])
        for kind, actor in (
            (EventKind.PROPOSED, mentor),
            (EventKind.ACCEPTED, mentee),
            (EventKind.HELD, mentee),
        ):
            MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor)
        today = timezone.localdate()
        ActionItem.objects.create(
            mentorship=mentorship,
            meeting=meeting,
            owner=mentee,
            created_by=mentor,
            text="Write down three goals for the next quarter",
            due_on=today + dt.timedelta(days=5),
        )
        ActionItem.objects.create(
            mentorship=mentorship,
            meeting=meeting,
            owner=mentor,
            created_by=mentor,
            text="Share the reading list on giving feedback",
            due_on=today - dt.timedelta(days=7),
            done_at=timezone.now() - dt.timedelta(days=8),
        )

    def _series(self, mentorship: Mentorship, mentor: User, mentee: User, people: list[User]) -> None:
        program = mentorship.program
        week_ahead = timezone.now() + dt.timedelta(days=6)
        found = finder.mutual(people, mentor, weeks=2, minutes=program.meeting_minutes, now=week_ahead)
        starts = [s for day in found.days for slot in day.slots if slot.best for s in slot.starts]
        starts = starts or [s for day in found.days for slot in day.slots for s in slot.starts]
        if not starts:
            return
        proposal = services.Proposal(
            starts=starts[:1],
            minutes=program.meeting_minutes,
            repeat_weeks=program.cadence_weeks,
            repeat_count=6,
            title="Mentoring session",
        )
        meeting = services.propose(mentorship, mentor, proposal)
        services.accept(meeting, mentee, starts[0])
