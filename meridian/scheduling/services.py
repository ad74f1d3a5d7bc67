"""Meetings from proposal to outcome. Every change is checked first and written whole (one
transaction, the meeting row locked), logged as a MeetingEvent for health monitoring, and
announced to the members with a calendar invitation, update or cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.mentorships import agreement
from meridian.mentorships.models import Member, Mentorship
from meridian.scheduling import channels, emails, finder, invitations, selectors, slots
from meridian.scheduling.models import (
    Channel,
    EventKind,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    ProposedTime,
    RecordingConsent,
    Series,
    VideoSource,
)

MAX_OPTIONS = 3
MIN_MINUTES, MAX_MINUTES = finder.MIN_MINUTES, finder.MAX_MINUTES
MAX_REPEATS = 52
MAX_AHEAD = dt.timedelta(days=366)
MAX_REASON = 1000


@dataclass(frozen=True)
class MeetingProposal:
    """What a member offers: one to three start times and how they would meet."""

    starts: Sequence[dt.datetime]
    minutes: int
    channel: str = Channel.VIDEO
    video_source: str = VideoSource.JITSI
    fallback: str = Channel.PHONE
    repeat_weeks: int = 0
    repeat_count: int = 0
    title: str = ""


def now() -> dt.datetime:
    return timezone.now()


def _members(mentorship: Mentorship) -> list[Member]:
    return list(mentorship.members.filter(is_current=True).select_related("user__profile"))


def _require_member(user: Any, mentorship: Mentorship) -> None:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError("Only the people in this mentorship can change its meetings.")


def check_time(start: dt.datetime, now: dt.datetime) -> None:
    """Refuse a start in the past or more than a year ahead (forms call it for the field)."""
    if timezone.is_naive(start):
        raise MeridianError("Give the time with its time zone.")
    if start <= now:
        raise MeridianError("Pick a time in the future.")
    if start > now + MAX_AHEAD:
        raise MeridianError("Pick a time within the next year.")


def _reason(reason: str) -> str:
    text = " ".join(reason.replace("\x00", "").split())
    if not text:
        raise MeridianError("Say why, in a few words: it helps the others plan.")
    if len(text) > MAX_REASON:
        raise MeridianError(f"Keep the reason under {MAX_REASON} characters.")
    return text


def _next_sequence(meeting: Meeting) -> int:
    """A change is sent with a SEQUENCE above any the event had, its series' included."""
    series = meeting.series.sequence if meeting.series_id and meeting.series else 0
    return max(meeting.sequence, series) + 1


def _log(meeting: Meeting, kind: str, actor: Any, **fields: Any) -> None:
    MeetingEvent.objects.create(meeting=meeting, kind=kind, actor=actor, **fields)


def _check_proposal(mentorship: Mentorship, user: Any, proposal: MeetingProposal) -> list[dt.datetime]:
    moment = now()
    starts = sorted(set(proposal.starts))
    if not starts:
        raise MeridianError("Pick at least one time.")
    if len(starts) > MAX_OPTIONS:
        raise MeridianError(f"Offer at most {MAX_OPTIONS} times.")
    for start in starts:
        check_time(start, moment)
    if not MIN_MINUTES <= proposal.minutes <= MAX_MINUTES:
        raise MeridianError(f"A meeting lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes.")
    if proposal.channel not in Channel.values or proposal.fallback not in Channel.values:
        raise MeridianError("Choose one of the channels offered.")
    if proposal.channel == proposal.fallback:
        raise MeridianError("The fallback must be a different channel from the meeting's.")
    if proposal.video_source not in VideoSource.values:
        raise MeridianError("Choose a new video room or your own link.")
    if proposal.video_source == VideoSource.PERSONAL and not user.profile.video_link:
        raise MeridianError("Save your meeting link on your profile first, or use a new video room.")
    if proposal.repeat_weeks:
        if not 1 <= proposal.repeat_weeks <= 4:
            raise MeridianError("A meeting repeats every 1 to 4 weeks.")
        if not 2 <= proposal.repeat_count <= MAX_REPEATS:
            raise MeridianError(f"A repeating meeting happens 2 to {MAX_REPEATS} times.")
    return starts


def meeting_propose(*, mentorship: Mentorship, user: Any, proposal: MeetingProposal) -> Meeting:
    """Offer one to three times; another member accepts one of them."""
    _require_member(user, mentorship)
    starts = _check_proposal(mentorship, user, proposal)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            title=(proposal.title.strip() or "Mentoring session")[:200],
            minutes=proposal.minutes,
            proposed_by=user,
            channel=proposal.channel,
            video_source=proposal.video_source,
            fallback=proposal.fallback,
            repeat_weeks=proposal.repeat_weeks,
            repeat_count=proposal.repeat_count if proposal.repeat_weeks else 0,
        )
        ProposedTime.objects.bulk_create(ProposedTime(meeting=meeting, starts_at=s) for s in starts)
        _log(meeting, EventKind.PROPOSED, user)
        others = [m.user for m in _members(mentorship) if m.user_id != user.pk]
        _tell_proposed(meeting, user, others)  # emails stored now, sent after commit (the outbox)
    return meeting


def _tell_proposed(meeting: Meeting, proposer: Any, others: list[Any]) -> None:
    options = list(meeting.options.all())
    for person in others:
        emails.meeting_proposed(meeting, proposer=proposer, person=person, options=options)


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("mentorship", "proposed_by")
        .get(pk=meeting.pk)
    )


def meeting_accept(*, meeting: Meeting, user: Any, start: dt.datetime) -> Meeting:
    """Take one of the proposed times: the meeting (or the series it starts) is scheduled
    and everyone gets the invitation."""
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_member(user, meeting.mentorship)
        if meeting.status != MeetingStatus.PROPOSED:
            raise MeridianError("This proposal has already been answered.")
        if meeting.proposed_by_id == user.pk:
            raise MeridianError("The others accept your proposal; you can withdraw it.")
        if not meeting.options.filter(starts_at=start).exists():
            raise MeridianError("Pick one of the proposed times.")
        check_time(start, now())
        members = _members(meeting.mentorship)
        meeting.starts_at = start
        meeting.status = MeetingStatus.SCHEDULED
        meeting.video_url = channels.video_url_for(meeting, meeting.proposed_by)
        meeting.save(update_fields=["starts_at", "status", "video_url", "updated_at"])
        _prefill_consent(meeting, members)
        _log(meeting, EventKind.ACCEPTED, user, new_start=start)
        if meeting.repeat_weeks:
            _start_series(meeting, members)
        invitations.notify(meeting, "REQUEST")
    return meeting


def _organiser_zone(meeting: Meeting) -> str:
    return str(getattr(meeting.proposed_by, "time_zone", "") or "UTC")


def _start_series(first: Meeting, members: list[Member]) -> None:
    assert first.starts_at is not None
    zone = _organiser_zone(first)
    series = Series.objects.create(
        mentorship=first.mentorship,
        every_weeks=first.repeat_weeks,
        count=first.repeat_count,
        zone=zone,
        first_start=first.starts_at,
    )
    starts = slots.weekly_starts(first.starts_at, zone, first.repeat_weeks, first.repeat_count)
    first.series = series
    first.recurrence_id = starts[0]
    first.save(update_fields=["series", "recurrence_id"])
    fields = {
        "mentorship": first.mentorship,
        "series": series,
        "title": first.title,
        "status": MeetingStatus.SCHEDULED,
        "minutes": first.minutes,
        "proposed_by": first.proposed_by,
        "channel": first.channel,
        "video_source": first.video_source,
        "video_url": first.video_url,
        "room": first.room,  # one room for the series: the calendar event has one location
        "fallback": first.fallback,
    }
    rest = Meeting.objects.bulk_create(
        Meeting(starts_at=start, recurrence_id=start, **fields) for start in starts[1:]
    )
    for meeting in rest:
        _prefill_consent(meeting, members)


def _prefill_consent(meeting: Meeting, members: list[Member]) -> None:
    agreed = agreement.recording_default(meeting.mentorship_id)  # the pair's rules of engagement
    RecordingConsent.objects.bulk_create(
        [RecordingConsent(meeting=meeting, user_id=m.user_id, consents=agreed) for m in members],
        ignore_conflicts=True,
    )


def meeting_decline(*, meeting: Meeting, user: Any, reason: str) -> Meeting:
    """None of the proposed times works; the proposer is told why."""
    text = _reason(reason)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_member(user, meeting.mentorship)
        if meeting.status != MeetingStatus.PROPOSED:
            raise MeridianError("This proposal has already been answered.")
        if meeting.proposed_by_id == user.pk:
            raise MeridianError("Withdraw your own proposal instead.")
        meeting.status = MeetingStatus.DECLINED
        meeting.save(update_fields=["status", "updated_at"])
        _log(meeting, EventKind.DECLINED, user, reason=text)
        proposer = meeting.proposed_by
        if proposer is not None:
            emails.meeting_declined(meeting, proposer=proposer, by=user, reason=text)
    return meeting


def meeting_move(*, meeting: Meeting, user: Any, start: dt.datetime, reason: str) -> Meeting:
    """Move one meeting (one occurrence of a series moves alone); the invitation is sent
    again with a higher SEQUENCE."""
    text = _reason(reason)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_member(user, meeting.mentorship)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise MeridianError("Only a scheduled meeting can be moved.")
        check_time(start, now())
        if start == meeting.starts_at:
            raise MeridianError("That is the time it already has.")
        old = meeting.starts_at
        meeting.starts_at = start
        meeting.sequence = _next_sequence(meeting)
        meeting.save(update_fields=["starts_at", "sequence", "updated_at"])
        _log(meeting, EventKind.RESCHEDULED, user, reason=text, old_start=old, new_start=start)
        invitations.notify(meeting, "REQUEST", reason=text)
    return meeting


def meeting_cancel(*, meeting: Meeting, user: Any, reason: str) -> Meeting:
    """Cancel a scheduled meeting (or one occurrence), or withdraw one's own proposal."""
    text = _reason(reason)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_member(user, meeting.mentorship)
        was = meeting.status
        if was == MeetingStatus.PROPOSED and meeting.proposed_by_id != user.pk:
            raise MeridianError("Decline the proposal instead: only its author withdraws it.")
        if was not in (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED):
            raise MeridianError("Only a proposed or scheduled meeting can be cancelled.")
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence = _next_sequence(meeting)
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        _log(meeting, EventKind.CANCELLED, user, reason=text, old_start=meeting.starts_at)
        if was == MeetingStatus.SCHEDULED:
            invitations.notify(meeting, "CANCEL", reason=text)
    return meeting


def meetings_cancel_for_closing(*, mentorship: Mentorship, user: Any) -> int:
    """Cancel what is still to come when ``mentorship`` closes: proposals and scheduled
    meetings (each member gets the cancellation for their calendar), and stop its series.
    Runs inside the closing's transaction, while the members are still current."""
    reason = "The mentorship has been closed."
    upcoming = Meeting.objects.select_for_update(of=("self",)).filter(
        Q(status=MeetingStatus.PROPOSED) | Q(status=MeetingStatus.SCHEDULED, starts_at__gte=now()),
        mentorship=mentorship,
    )
    cancelled = 0
    for meeting in upcoming.select_related("series", "mentorship"):
        was = meeting.status
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence = _next_sequence(meeting)
        meeting.save(update_fields=["status", "sequence", "updated_at"])
        _log(meeting, EventKind.CANCELLED, user, reason=reason, old_start=meeting.starts_at)
        if was == MeetingStatus.SCHEDULED:
            invitations.notify(meeting, "CANCEL", reason=reason, whole_series=False)
        cancelled += 1
    Series.objects.filter(mentorship=mentorship, ended_at__isnull=True).update(ended_at=now())
    return cancelled


def meeting_record_outcome(*, meeting: Meeting, user: Any, outcome: str) -> Meeting:
    """After its start, either side marks a meeting held or missed (and may correct it)."""
    kinds = {MeetingStatus.HELD: EventKind.HELD, MeetingStatus.MISSED: EventKind.MISSED}
    if outcome not in kinds:
        raise MeridianError("Mark the meeting held or missed.")
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_member(user, meeting.mentorship)
        if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD, MeetingStatus.MISSED):
            raise MeridianError("Only a scheduled meeting can be marked held or missed.")
        if meeting.starts_at is None or meeting.starts_at > now():
            raise MeridianError("You can mark a meeting once it has started.")
        if meeting.status == outcome:
            return meeting
        meeting.status = outcome
        meeting.save(update_fields=["status", "updated_at"])
        _log(meeting, kinds[MeetingStatus(outcome)], user)
    return meeting


@transaction.atomic
def consent_set(*, meeting: Meeting, user: Any, consents: bool) -> bool:
    """Record ``user``'s consent to record ``meeting``; returns whether it may now be
    recorded (everyone in it consented)."""
    _require_member(user, meeting.mentorship)
    if meeting.status not in (MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED):
        raise MeridianError("Consent is given before the meeting takes place.")
    RecordingConsent.objects.update_or_create(meeting=meeting, user=user, defaults={"consents": consents})
    return selectors.may_be_recorded(meeting)
