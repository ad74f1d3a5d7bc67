"""Reminders (``run(now)``, every few minutes from the periodic table):

- meetings: ``first_reminder_hours`` (24) and ``second_reminder_hours`` (1) before each
  scheduled meeting (the program's ladder settings; 0: off), to every current member, the
  time in the recipient's zone and named. The key names the kind, person, meeting and
  start: a moved meeting gets reminders for its new time, a cancelled one none (only
  scheduled meetings are read). Meeting reminders never count toward the monthly cap.
- action items falling due: to the owner, the day before or on the day (their day), once
  per item and due date.
- a cohort's key points, where the program's ``cohort_reminders`` is on: its start, its
  mid-point, a month before the end and the end, to its members. (Cohorts have no events
  in the data model yet, so "a week before each event" waits for them.)

Each kind is planned with a fixed number of queries and stored with one bulk insert that
skips keys already there (``notices.notify_many``), so a run repeated sends nothing twice.
Then the pulse plans its own (``pulse.plan``) and the due notices go out
(``notices.deliver_due``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.engagement import notices, pulse
from meridian.engagement.models import LadderSettings, Notice
from meridian.mentorships.models import Member, MentorshipStatus
from meridian.messaging.notifications import language_of
from meridian.programs.models import Cohort, CohortStatus, Enrollment, EnrollmentStatus
from meridian.scheduling.channels import jitsi_url
from meridian.scheduling.models import ActionItem, Channel, Meeting, MeetingStatus

CURRENT = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)
COHORT_GRACE_DAYS = 2  # a run that was down catches up a key point this many days late, no more


def ladders_for(program_ids: Iterable[int]) -> dict[int, LadderSettings]:
    """Each program's ladder settings; a program without a row gets the defaults (unsaved)."""
    ids = set(program_ids)
    found = {ladder.program_id: ladder for ladder in LadderSettings.objects.filter(program_id__in=ids)}
    return {pk: found.get(pk) or LadderSettings(program_id=pk) for pk in ids}


def run(now: dt.datetime | None = None) -> str:
    """Plan every reminder that has fallen due, then deliver; says what it did."""
    now = now or timezone.now()
    planned = Counter(
        {
            "meeting": plan_meetings(now),
            "action": plan_action_items(now),
            "cohort": plan_cohorts(now),
        }
    )
    pulses = pulse.plan(now=now)
    done = notices.deliver_due(now=now)
    return (
        f"planned {planned['meeting']} meeting, {planned['action']} action-item and "
        f"{planned['cohort']} cohort reminders; pulse {dict(pulses)}; delivered {dict(done)}"
    )


def when(at: dt.datetime, user: User) -> str:
    """``at`` as ``user`` reads it: "Tuesday 8 December, 14:00 (Europe/Berlin)"."""
    zone = user.time_zone or "UTC"
    local = timezone.localtime(at, ZoneInfo(zone))
    with translation.override(language_of(user)):
        return f"{formats.date_format(local, 'l j F, H:i')} ({zone.replace('_', ' ')})"


def local_today(user: User, now: dt.datetime) -> dt.date:
    return timezone.localtime(now, ZoneInfo(user.time_zone or "UTC")).date()


# ---------------------------------------------------------------- meetings


def plan_meetings(now: dt.datetime) -> int:
    """Store the meeting reminders whose moment has come; returns how many were offered."""
    default = LadderSettings()
    widest = LadderSettings.objects.aggregate(
        most=Max("first_reminder_hours"), more=Max("second_reminder_hours")
    )
    horizon = max(
        default.first_reminder_hours, default.second_reminder_hours, widest["most"] or 0, widest["more"] or 0
    )
    if not horizon:
        return 0
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=horizon),
            mentorship__status__in=CURRENT,
        ).select_related("mentorship")
    )
    ladders = ladders_for(m.mentorship.program_id for m in meetings)
    members = _members({m.mentorship_id for m in meetings})
    rows: list[Notice] = []
    for meeting in meetings:
        hours = _reminder_hours(meeting, now, ladders[meeting.mentorship.program_id])
        if hours is None:
            continue
        people = members.get(meeting.mentorship_id, [])
        rows.extend(_meeting_notice(meeting, hours, person, people, now) for person in people)
    return notices.notify_many(rows)


def _reminder_hours(meeting: Meeting, now: dt.datetime, ladder: LadderSettings) -> int | None:
    """Which reminder is due now (the later one wins: a meeting booked 2 hours ahead gets the
    1-hour reminder only), or ``None``."""
    assert meeting.starts_at is not None
    left = meeting.starts_at - now
    for hours in sorted(h for h in (ladder.first_reminder_hours, ladder.second_reminder_hours) if h):
        if left <= dt.timedelta(hours=hours):
            return int(hours)
    return None


def _members(mentorship_ids: Iterable[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = defaultdict(list)
    rows = Member.objects.filter(mentorship_id__in=set(mentorship_ids), is_current=True).select_related(
        "user__profile"
    )
    for member in rows:
        found[member.mentorship_id].append(member.user)
    return found


def _meeting_notice(
    meeting: Meeting, hours: int, person: User, people: list[User], now: dt.datetime
) -> Notice:
    assert meeting.starts_at is not None
    others = ", ".join(p.name for p in people if p.pk != person.pk)
    video = ""
    if meeting.channel == Channel.VIDEO:
        video = meeting.video_url or jitsi_url(meeting.room)
    ends_at = meeting.starts_at + dt.timedelta(minutes=meeting.minutes)
    context = {
        "title": meeting.title,
        "hours": hours,
        "with_names": others,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "channel": meeting.channel,
        "channel_label": "",
        "video_url": video,
        "meeting_url": absolute_url("scheduling:meeting", meeting.public_id),
    }
    with translation.override(language_of(person)):
        context["channel_label"] = str(Channel(meeting.channel).label)
        line = _("%(title)s with %(names)s: %(when)s") % {
            "title": meeting.title,
            "names": others,
            "when": when(meeting.starts_at, person),
        }
    start = meeting.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")
    return Notice(
        key=f"meeting_reminder:{hours}h:{person.pk}:{meeting.pk}:{start}",
        user=person,
        kind="meeting_reminder",
        mentorship_id=meeting.mentorship_id,
        counts_toward_cap=False,
        due_at=now,
        template="reminder-meeting",
        context=context,
        line=line,
    )


# ---------------------------------------------------------------- action items


def plan_action_items(now: dt.datetime) -> int:
    """Remind each owner of an open action item due tomorrow or today (their day)."""
    today = now.date()
    items = ActionItem.objects.filter(
        done_at__isnull=True,
        due_on__gte=today - dt.timedelta(days=1),
        due_on__lte=today + dt.timedelta(days=2),
        mentorship__status__in=CURRENT,
        owner__is_active=True,
    ).select_related("owner__profile", "mentorship")
    rows: list[Notice] = []
    for item in items:
        assert item.due_on is not None
        days = (item.due_on - local_today(item.owner, now)).days
        if days not in (0, 1):
            continue
        rows.append(_action_notice(item, days, now))
    return notices.notify_many(rows)


def _action_notice(item: ActionItem, days: int, now: dt.datetime) -> Notice:
    owner = item.owner
    assert item.due_on is not None
    with translation.override(language_of(owner)):
        due = formats.date_format(item.due_on, "l j F")
        line = (_("Due today: %(text)s") if days == 0 else _("Due tomorrow (%(due)s): %(text)s")) % {
            "text": item.text,
            "due": due,
        }
    context = {
        "text": item.text,
        "due": due,
        "today": days == 0,
        "url": absolute_url("portal:workspace", item.mentorship.public_id),
    }
    return Notice(
        key=f"action_due:{item.pk}:{item.due_on}",
        user=owner,
        kind="action_due",
        mentorship=item.mentorship,
        due_at=now,
        template="reminder-action",
        context=context,
        line=line,
    )


# ---------------------------------------------------------------- a cohort's key points


def key_points(cohort: Cohort) -> list[tuple[str, dt.date]]:
    """The cohort's key points: start, mid-point, a month before the end, the end."""
    length = cohort.ends_on - cohort.starts_on
    points = [("start", cohort.starts_on), ("midpoint", cohort.starts_on + length / 2)]
    if length > dt.timedelta(days=60):  # a short cohort's month-before-the-end is its start
        points.append(("month_left", cohort.ends_on - dt.timedelta(days=30)))
    points.append(("end", cohort.ends_on))
    return points


def plan_cohorts(now: dt.datetime) -> int:
    """Tell a running cohort's members of its key points, on the day (theirs)."""
    today = now.date()
    running = list(Cohort.objects.filter(status=CohortStatus.RUNNING))
    ladders = ladders_for(c.program_id for c in running)
    cohorts = []
    for cohort in running:
        on = ladders[cohort.program_id].cohort_reminders
        near = [
            (name, day)
            for name, day in key_points(cohort)
            if today - dt.timedelta(days=COHORT_GRACE_DAYS + 1) <= day <= today + dt.timedelta(days=1)
        ]
        if on and near:
            cohorts.append((cohort, near))
    if not cohorts:
        return 0
    people: dict[int, list[User]] = defaultdict(list)
    enrolled = Enrollment.objects.filter(
        cohort__in=[c for c, _n in cohorts], status=EnrollmentStatus.APPROVED, user__is_active=True
    ).select_related("user__profile")
    for enrollment in enrolled:
        people[enrollment.cohort_id].append(enrollment.user)
    rows: list[Notice] = []
    for cohort, near in cohorts:
        for person in people.get(cohort.pk, []):
            mine = local_today(person, now)
            for name, day in near:
                if day <= mine <= day + dt.timedelta(days=COHORT_GRACE_DAYS):
                    rows.append(_cohort_notice(cohort, name, day, person, now))
    return notices.notify_many(rows)


def _cohort_notice(cohort: Cohort, point: str, day: dt.date, person: User, now: dt.datetime) -> Notice:
    with translation.override(language_of(person)):
        end = formats.date_format(cohort.ends_on, "j F Y")
        lines = {
            "start": _("%(cohort)s starts today: welcome!"),
            "midpoint": _("%(cohort)s is half way: a good moment to look at your goals."),
            "month_left": _("%(cohort)s ends in a month, on %(end)s: plan how you will close."),
            "end": _("%(cohort)s ends today: thank you for taking part."),
        }
        line = lines[point] % {"cohort": cohort.name, "end": end}
    context = {"point": point, "cohort": cohort.name, "end": end, "line": line, "url": absolute_url("home")}
    return Notice(
        key=f"cohort:{cohort.pk}:{point}:{day.isoformat()}:{person.pk}",
        user=person,
        kind="cohort_point",
        due_at=now,
        template="reminder-cohort",
        context=context,
        line=line,
    )
