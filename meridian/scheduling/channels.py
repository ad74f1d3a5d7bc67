"""How people meet: the video link (a fresh Jitsi room by default, or the organiser's own
Zoom, Teams or Meet link), phone numbers shown to the members alone, and the fallback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from meridian.scheduling.models import Channel, Meeting, MeetingStatus, VideoSource

PROVIDERS = (
    ("zoom.us", "Zoom"),
    ("teams.microsoft.com", "Microsoft Teams"),
    ("teams.live.com", "Microsoft Teams"),
    ("meet.google.com", "Google Meet"),
    ("whereby.com", "Whereby"),
)


def jitsi_url(room: str) -> str:
    """An unguessable room on the configured Jitsi (``JITSI_BASE_URL``): no account needed."""
    return f"{settings.JITSI_BASE_URL.rstrip('/')}/Meridian-{room}"


def provider_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for domain, name in PROVIDERS:
        if host == domain or host.endswith("." + domain):
            return name
    if url.startswith(settings.JITSI_BASE_URL.rstrip("/")):
        return "Jitsi"
    return "Video link"


def video_url_for(meeting: Meeting, organiser: Any) -> str:
    """The link the meeting will use: the organiser's saved link when they chose it."""
    if meeting.channel != Channel.VIDEO and meeting.fallback != Channel.VIDEO:
        return ""
    personal = getattr(getattr(organiser, "profile", None), "video_link", "")
    if meeting.video_source == VideoSource.PERSONAL and personal:
        return str(personal)
    return jitsi_url(meeting.room)


@dataclass(frozen=True)
class Way:
    """One way to meet, as the viewer reads it."""

    channel: str
    label: str
    link: str = ""
    phones: tuple[tuple[str, str], ...] = ()  # (name, number)
    emails: tuple[tuple[str, str], ...] = ()
    hint: str = ""


def joinable(meeting: Meeting, now: dt.datetime) -> bool:
    """Whether there is a call to join: the meeting is scheduled and not over yet."""
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at is None:
        return False
    return now < meeting.starts_at + dt.timedelta(minutes=meeting.minutes)


def _no_call(meeting: Meeting) -> str:
    if meeting.status == MeetingStatus.PROPOSED:
        return "The link appears here once a time is agreed."
    if meeting.status == MeetingStatus.CANCELLED:
        return "This meeting was cancelled: there is no call to join."
    if meeting.status == MeetingStatus.DECLINED:
        return "These times were declined: there is no call to join."
    return "This meeting is over: there is no call to join."


def way(meeting: Meeting, channel: str, members: list[Any], viewer: Any, *, now: dt.datetime) -> Way:
    """``channel`` spelled out for ``viewer``: the link, the others' numbers or addresses.
    Contact details go to members only; a manager reading this gets the label alone. The
    video link is offered only while there is a call to join (``joinable``)."""
    others = [m.user for m in members if m.user_id != viewer.pk]
    label = str(Channel(channel).label)
    is_member = any(m.user_id == viewer.pk for m in members)
    if not is_member:
        return Way(channel, label)
    if channel == Channel.VIDEO and not joinable(meeting, now):
        return Way(channel, label, hint=_no_call(meeting))
    if channel == Channel.VIDEO:
        url = meeting.video_url or jitsi_url(meeting.room)
        return Way(channel, label, link=url, hint=provider_name(url))
    if channel == Channel.PHONE:
        phones = tuple((u.name, u.profile.phone) for u in others if getattr(u.profile, "phone", ""))
        hint = "" if phones else "Nobody has saved a phone number yet: add yours on your profile."
        return Way(channel, label, phones=phones, hint=hint)
    emails = tuple((u.name, u.email) for u in others)
    if channel == Channel.MESSAGES:
        return Way(channel, label, emails=emails, hint="Write to each other by email between times.")
    return Way(channel, label, emails=emails)
