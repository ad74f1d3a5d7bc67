"""Calendar invitations by email, and the events of a person's calendar feed.

``notify`` sends one email to each current member of the meeting's mentorship, with the
times in that person's own zone and an iCalendar file that clients treat as an invitation.
The file travels twice, as Google Calendar's own invitations do: once as a
``text/calendar; method=...`` alternative of the body (what Outlook and Gmail read to show
Accept/Decline and to update or remove the event) and once as an ``invite.ics``
attachment typed ``application/ics``, which people can open or save by hand and which no
client mistakes for a second invitation.

The ORGANIZER is the site itself (``DEFAULT_FROM_EMAIL``), every member an ATTENDEE. A
member named as organiser would get an invitation "from themselves", which Gmail and
Outlook file without adding it to their calendar; with the site as organiser both people
receive the same, ordinary invitation, and the sender matches the organiser. Replies
(RSVP) go to that address; Meridian does not read them: agreeing happens on the site.

What is sent for a meeting of a series (``whole_series=None`` picks by sequence):

- the whole series (master with RRULE, EXDATE for every occurrence that will not happen,
  an override per occurrence that differs) when ``whole_series`` is true, or when the
  occurrence has not been changed on its own (its ``sequence`` is not above the series');
- otherwise the occurrence alone: one VEVENT with the series' UID and RECURRENCE-ID.

Cancelling a whole series with sessions still standing (some were held) sends the series
as it now is, its cancelled occurrences excluded, so calendars keep the past; with none
left it is a CANCEL of the series' UID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import encoders
from email.mime.base import MIMEBase
from email.utils import parseaddr
from typing import Any, Literal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.mentorships.models import Member, Mentorship
from meridian.scheduling import emails, ics, slots
from meridian.scheduling.models import LIVE_STATES, Channel, Meeting, Series

Method = Literal["REQUEST", "CANCEL"]
Scope = Literal["meeting", "series", "occurrence"]
LIVE = frozenset(LIVE_STATES)


# ---------------------------------------------------------------- email


def notify(meeting: Meeting, method: Method, *, reason: str = "", whole_series: bool | None = None) -> None:
    """Email every current member of the meeting's mentorship the invitation (REQUEST) or
    the cancellation (CANCEL) with its iCalendar file. Call it after the change is saved,
    with ``sequence`` (the meeting's, or the series' for a series-wide change) already
    raised above the last one sent; ``reason`` is quoted in the email."""
    members = _current_members(meeting.mentorship)
    scope = _scope(meeting, whole_series)
    stamp = timezone.now()
    for member in members:
        if member.user.is_active and member.user.email:
            _send_one(meeting, method, scope, member.user, members, stamp=stamp, reason=reason)


def _scope(meeting: Meeting, whole_series: bool | None) -> Scope:
    series = meeting.series
    if series is None or meeting.recurrence_id is None:
        return "meeting"
    if whole_series is None:
        whole_series = meeting.sequence <= series.sequence
    return "series" if whole_series else "occurrence"


def _send_one(
    meeting: Meeting,
    method: Method,
    scope: Scope,
    user: User,
    members: Sequence[Member],
    *,
    stamp: dt.datetime,
    reason: str,
) -> None:
    people = _People(viewer=user, members=tuple(members), stamp=stamp)
    events, file_method = _letter_events(meeting, method, scope, people)
    calendar = ics.invitation(events, file_method)
    context = _context(meeting, method, scope, people, events, reason=reason)
    name = "meeting_cancellation" if method == "CANCEL" else "meeting_invitation"
    emails.calendar_letter(
        name,
        person=user,
        context=context,
        calendar=calendar,
        method=file_method,
        attachment=_ics_attachment(calendar),
    )


def _ics_attachment(calendar: bytes) -> MIMEBase:
    part = MIMEBase("application", "ics", name="invite.ics")
    part.set_payload(calendar)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _letter_events(
    meeting: Meeting, method: Method, scope: Scope, people: _People
) -> tuple[list[ics.EventSpec], Method]:
    """The VEVENTs of one email and the iTIP method of its file."""
    cancelled = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    if scope == "meeting":
        return [_single(meeting, people, status=cancelled)], method
    series = meeting.series
    assert series is not None  # _scope checked it
    if scope == "occurrence":
        return [_override(series, meeting, people, status=cancelled)], method
    rows = list(series.meetings.all())
    live = [row for row in rows if row.status in LIVE]
    if method == "CANCEL" and not live:
        return [_master(series, rows, (), people, status="CANCELLED")], "CANCEL"
    return _series_events(series, rows, live, people), "REQUEST"


def _context(
    meeting: Meeting,
    method: Method,
    scope: Scope,
    people: _People,
    events: Sequence[ics.EventSpec],
    *,
    reason: str,
) -> dict[str, Any]:
    first = events[0]
    starts_at = _first_start(meeting, scope, first)
    sequence = max(event.sequence for event in events)
    kind = "cancellation" if method == "CANCEL" else ("update" if sequence else "invitation")
    series = meeting.series
    return {
        "recipient": people.viewer,
        "kind": kind,
        "scope": scope,
        "summary": first.summary,
        "with_names": people.others_names,
        "meeting": meeting,
        "starts_at": starts_at,
        "ends_at": starts_at + (first.end - first.start),
        "original_start": meeting.recurrence_id if scope == "occurrence" else None,
        "every_weeks": series.every_weeks if series and scope == "series" else 0,
        "count": series.count if series and scope == "series" else 0,
        "zone": people.viewer.time_zone,
        "channel": meeting.get_channel_display(),
        "video_url": meeting.video_url if meeting.channel == Channel.VIDEO else "",
        "fallback": meeting.get_fallback_display(),
        "meeting_url": _meeting_url(meeting),
        "precall_url": absolute_url("scheduling:precall"),
        "feed_url": absolute_url("scheduling:feed"),
        "reason": reason.strip(),
    }


def _first_start(meeting: Meeting, scope: Scope, first: ics.EventSpec) -> dt.datetime:
    """The start the email names: the meeting's own, or for a series the regular start of
    its next standing occurrence (a moved one would misstate the pattern)."""
    if scope != "series":
        return meeting.starts_at or first.start
    series = meeting.series
    assert series is not None
    coming = series.meetings.filter(status__in=LIVE_STATES, recurrence_id__gte=timezone.now())
    upcoming = coming.order_by("recurrence_id").values_list("recurrence_id", flat=True).first()
    return upcoming or first.start


# ---------------------------------------------------------------- the feed


def events_for(user: User, *, since: dt.datetime) -> list[ics.EventSpec]:
    """Every scheduled, held or missed meeting of ``user`` from ``since``: of their current
    mentorships, and of past ones those that had already begun when they left (as far as
    we can tell: before now). A series is its master, its overrides and its exclusions."""
    now = timezone.now()
    current = set(Member.objects.filter(user=user, is_current=True).values_list("mentorship_id", flat=True))
    past = Member.objects.filter(user=user, is_current=False).values_list("mentorship_id", flat=True)
    visible = Q(mentorship_id__in=current) | Q(mentorship_id__in=past, starts_at__lt=now)
    rows = Meeting.objects.filter(visible, status__in=LIVE_STATES, starts_at__gte=since)

    def shows(row: Meeting) -> bool:
        started = row.starts_at is not None and row.starts_at < now
        return row.status in LIVE and (row.mentorship_id in current or started)

    mentorships = _mentorships(rows.values("mentorship_id"))
    events: list[ics.EventSpec] = []
    for meeting in rows.filter(series__isnull=True).select_related("proposed_by", "mentorship"):
        people = _People(user, mentorships[meeting.mentorship_id], meeting.updated_at)
        events.append(_single(meeting, people, status="CONFIRMED"))
    series_rows = Meeting.objects.filter(series__in=rows.values("series_id")).select_related(
        "series__mentorship"
    )
    for series, occurrences in _by_series(series_rows):
        people = _People(
            user, mentorships.get(series.mentorship_id, ()), max(o.updated_at for o in occurrences)
        )
        events += _series_events(series, occurrences, [o for o in occurrences if shows(o)], people)
    return events


def _mentorships(ids: Any) -> dict[int, tuple[Member, ...]]:
    """Members (with their users) of each mentorship, in one query."""
    found: dict[int, list[Member]] = {}
    for member in Member.objects.filter(mentorship_id__in=ids).select_related("user"):
        found.setdefault(member.mentorship_id, []).append(member)
    return {key: tuple(members) for key, members in found.items()}


def _by_series(rows: Iterable[Meeting]) -> list[tuple[Series, list[Meeting]]]:
    grouped: dict[int, tuple[Series, list[Meeting]]] = {}
    for row in rows:
        if row.series is not None:
            grouped.setdefault(row.series.pk, (row.series, []))[1].append(row)
    return list(grouped.values())


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class _People:
    """Who one calendar file is for, and who takes part."""

    viewer: User
    members: tuple[Member, ...]
    stamp: dt.datetime

    @property
    def taking_part(self) -> list[User]:
        current = [m.user for m in self.members if m.is_current]
        return current or [m.user for m in self.members]

    @property
    def others_names(self) -> str:
        others = [_name(user) for user in self.taking_part if user.pk != self.viewer.pk]
        return _join(others) or _name(self.viewer)

    @property
    def attendees(self) -> tuple[ics.Attendee, ...]:
        return tuple(ics.Attendee(_name(user), user.email) for user in self.taking_part)


def _single(meeting: Meeting, people: _People, *, status: str) -> ics.EventSpec:
    start = _start(meeting)
    return _spec(
        meeting,
        people,
        uid=meeting.uid,
        sequence=meeting.sequence,
        start=start,
        zone=_zone(meeting),
        url=_meeting_url(meeting),
        status=status,
    )


def _override(series: Series, meeting: Meeting, people: _People, *, status: str) -> ics.EventSpec:
    return _spec(
        meeting,
        people,
        uid=series.uid,
        # An occurrence's copy in calendars carries the master's sequence until it is changed.
        sequence=max(meeting.sequence, series.sequence),
        start=_start(meeting),
        zone=series.zone,
        url=_meeting_url(meeting),
        status=status,
        recurrence_id=meeting.recurrence_id,
    )


def _series_events(
    series: Series, rows: Sequence[Meeting], shown: Sequence[Meeting], people: _People
) -> list[ics.EventSpec]:
    """The master, then an override for each shown occurrence that differs from it."""
    master = _master(series, rows, shown, people, status="CONFIRMED")
    template = _template(series, rows)
    by_start = {row.recurrence_id: row for row in shown if row.recurrence_id is not None}
    events = [master]
    for original in _instances(series):
        row = by_start.get(original)
        if row is not None and _differs(row, template, original):
            events.append(_override(series, row, people, status="CONFIRMED"))
    return events


def _master(
    series: Series, rows: Sequence[Meeting], shown: Sequence[Meeting], people: _People, *, status: str
) -> ics.EventSpec:
    template = _template(series, rows)
    standing = {row.recurrence_id for row in shown}
    excluded = tuple(moment for moment in _instances(series) if moment not in standing)
    return _spec(
        template,
        people,
        uid=series.uid,
        sequence=series.sequence,
        start=series.first_start,
        zone=series.zone,
        url=absolute_url("portal:workspace", series.mentorship.public_id),
        status=status,
        recurrence=ics.Recurrence(series.every_weeks, series.count, excluded),
    )


def _template(series: Series, rows: Sequence[Meeting]) -> Meeting:
    """The occurrence the master is drawn from (length, channel, link): the first one."""
    ordered = sorted(rows, key=lambda row: row.recurrence_id or row.starts_at or series.first_start)
    first = [row for row in ordered if row.recurrence_id == series.first_start]
    return (first or ordered)[0]


def _instances(series: Series) -> list[dt.datetime]:
    return slots.weekly_starts(series.first_start, series.zone, series.every_weeks, series.count)


def _differs(row: Meeting, template: Meeting, original: dt.datetime) -> bool:
    fields = ("minutes", "title", "channel", "video_url", "fallback")
    moved = row.starts_at is not None and row.starts_at != original
    return moved or any(getattr(row, name) != getattr(template, name) for name in fields)


def _spec(
    meeting: Meeting,
    people: _People,
    *,
    uid: str,
    sequence: int,
    start: dt.datetime,
    zone: str,
    url: str,
    status: str,
    recurrence: ics.Recurrence | None = None,
    recurrence_id: dt.datetime | None = None,
) -> ics.EventSpec:
    summary = _("%(title)s with %(names)s") % {"title": meeting.title, "names": people.others_names}
    return ics.EventSpec(
        uid=uid,
        sequence=sequence,
        start=start,
        end=start + dt.timedelta(minutes=meeting.minutes),
        zone=zone,
        summary=summary,
        description=_description(meeting, summary, url),
        location=_location(meeting),
        url=url,
        organizer=_organizer(),
        attendees=people.attendees,
        stamp=people.stamp,
        status=status,
        recurrence=recurrence,
        recurrence_id=recurrence_id,
    )


def _description(meeting: Meeting, summary: str, url: str) -> str:
    lines = [summary, ""]
    if meeting.channel == Channel.VIDEO and meeting.video_url:
        lines.append(_("Video call: %(url)s") % {"url": meeting.video_url})
    else:
        lines.append(_("How: %(channel)s") % {"channel": meeting.get_channel_display()})
    if meeting.channel == Channel.VIDEO:
        lines.append(_("If the video fails: %(channel)s") % {"channel": meeting.get_fallback_display()})
        check = absolute_url("scheduling:precall")
        lines.append(_("Check your camera and microphone: %(url)s") % {"url": check})
    lines.append(_("Meeting page: %(url)s") % {"url": url})
    return "\n".join(lines)


def _location(meeting: Meeting) -> str:
    if meeting.channel == Channel.VIDEO and meeting.video_url:
        return meeting.video_url
    return str(meeting.get_channel_display())


def _organizer() -> ics.Attendee:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return ics.Attendee(name or settings.SITE_NAME, address or settings.DEFAULT_FROM_EMAIL)


def _zone(meeting: Meeting) -> str:
    """The organiser's zone: who proposed the meeting, else the first mentor."""
    if meeting.proposed_by is not None:
        return meeting.proposed_by.time_zone
    mentor = meeting.mentorship.members.filter(role="mentor").select_related("user").first()
    return mentor.user.time_zone if mentor else "UTC"


def _start(meeting: Meeting) -> dt.datetime:
    if meeting.starts_at is None:
        raise ValueError(f"Meeting {meeting.public_id} has no agreed time to put in a calendar.")
    return meeting.starts_at


def _current_members(mentorship: Mentorship) -> list[Member]:
    return list(mentorship.members.filter(is_current=True).select_related("user").order_by("role", "id"))


def _meeting_url(meeting: Meeting) -> str:
    return absolute_url("scheduling:meeting", meeting.public_id)


def _name(user: User) -> str:
    return user.get_full_name() or user.email


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(some)s and %(last)s") % {"some": ", ".join(names[:-1]), "last": names[-1]}
