"""Meetings from proposal to outcome through the pages: propose times from the mutual
slots, accept one (a series when it repeats), move, cancel, decline, mark held or missed,
consent to recording; every change logged for health monitoring and announced by email."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.mentorships.models import AgreementVersion
from meridian.scheduling import selectors, services
from meridian.scheduling.models import EventKind, Meeting, MeetingEvent, MeetingStatus, Series
from tests.factories import UserFactory, mentoring_pair, people

WEEKDAYS = "Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.pair(
        mentor={"profile__availability": WEEKDAYS},
        mentee={"name": "Ben Cole", "time_zone": "America/New_York", "profile__availability": WEEKDAYS},
    ),
]

# Monday 2 March 2026, 08:00 UTC: New York changes clocks on 8 March, London on 29 March.
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
UTC = dt.UTC


def propose_form(*starts: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {
        "starts": [s.isoformat() for s in starts],
        "minutes": 45,
        "channel": "video",
        "video_source": "jitsi",
        "fallback": "phone",
        **extra,
    }


def test_the_meetings_page_offers_mutual_times_in_both_zones(client, pair):
    _, mentee = people(pair)
    client.force_login(mentee)
    page = client.get(reverse("scheduling:schedule", args=[pair.public_id]))
    assert page.status_code == 200
    mutual = page.context["mutual"]
    # London 09:00-17:00 and New York 09:00-17:00 overlap 14:00-17:00 London (09:00-12:00 NY)
    # until 8 March, when New York moves an hour closer: 13:00-17:00 London for three weeks.
    first = mutual.days[0].slots[0]
    assert first.mine.start.hour == 9
    assert first.mine.end.hour == 12
    assert first.theirs[0].start.hour == 14
    assert first.theirs[0].zone == "Europe/London"
    after = next(s for d in mutual.days for s in d.slots if s.start > dt.datetime(2026, 3, 9, tzinfo=UTC))
    assert (after.mine.start.hour, after.mine.end.hour) == (9, 13)
    assert after.shift_minutes != 0  # shown moved, not lost
    assert [c.zone for c in mutual.changes] == ["America/New_York"]
    body = page.content.decode()
    assert "Times that suit everyone" in body
    assert "moved" in body
    assert first.starts[0].isoformat() in body


def test_propose_accept_makes_a_meeting_and_tells_everyone(
    client, pair, smtp_server, django_capture_on_commit_callbacks
):
    mentor, mentee = people(pair)
    times = [dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC), dt.datetime(2026, 3, 4, 15, 30, tzinfo=UTC)]
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("scheduling:propose", args=[pair.public_id]), propose_form(*times))
    meeting = Meeting.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("scheduling:meeting", args=[meeting.public_id])
    assert meeting.status == MeetingStatus.PROPOSED
    assert sorted(o.starts_at for o in meeting.options.all()) == times
    proposed = smtp_server.messages()
    assert [m["To"] for m in proposed] == [mentee.email]
    assert "proposes a meeting" in proposed[0]["Subject"]
    assert "09:00" in proposed[0].get_body(("plain",)).get_content()  # 14:00 UTC in New York

    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("scheduling:accept", args=[meeting.public_id]), {"start": times[1].isoformat()}
        )
    assert answer.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.starts_at == times[1]
    assert meeting.video_url.startswith("https://meet.jit.si/Meridian-")
    assert len(meeting.room) >= 20
    kinds = list(MeetingEvent.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert kinds == [EventKind.PROPOSED, EventKind.ACCEPTED]
    invited = {m["To"] for m in smtp_server.messages()[1:]}
    assert invited == {mentor.email, mentee.email}


def test_a_repeating_proposal_becomes_a_series_that_keeps_the_local_hour(client, pair):
    mentor, mentee = people(pair)
    first = dt.datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # 10:00 in London (GMT)
    client.force_login(mentor)
    client.post(
        reverse("scheduling:propose", args=[pair.public_id]),
        propose_form(first, repeat="on", repeat_weeks=1, repeat_count=4),
    )
    meeting = Meeting.objects.get()
    client.force_login(mentee)
    client.post(reverse("scheduling:accept", args=[meeting.public_id]), {"start": first.isoformat()})
    series = Series.objects.get()
    occurrences = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    london = zoneinfo.ZoneInfo("Europe/London")
    assert [m.starts_at.astimezone(london).hour for m in occurrences if m.starts_at] == [10, 10, 10, 10]
    assert [m.starts_at.hour for m in occurrences if m.starts_at] == [10, 10, 9, 9]  # BST from 29 March
    assert all(m.status == MeetingStatus.SCHEDULED for m in occurrences)
    assert {m.room for m in occurrences} == {meeting.room}


def test_one_occurrence_moves_and_another_is_cancelled_alone(client, pair):
    mentor, mentee = people(pair)
    first = dt.datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    meeting = services.meeting_propose(
        mentorship=pair,
        user=mentor,
        proposal=services.MeetingProposal(starts=[first], minutes=45, repeat_weeks=2, repeat_count=3),
    )
    services.meeting_accept(meeting=meeting, user=mentee, start=first)
    second, third = Meeting.objects.filter(series__isnull=False).order_by("starts_at")[1:]
    client.force_login(mentee)
    answer = client.post(
        reverse("scheduling:move", args=[second.public_id]),
        {"move-when": "2026-03-31T08:00", "move-reason": "A team offsite that morning"},
    )
    assert answer.status_code == 302
    second.refresh_from_db()
    assert second.starts_at == dt.datetime(2026, 3, 31, 12, 0, tzinfo=UTC)  # 08:00 New York (EDT)
    assert second.sequence == 1
    assert second.recurrence_id == dt.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    client.post(reverse("scheduling:cancel", args=[third.public_id]), {"cancel-reason": "Public holiday"})
    third.refresh_from_db()
    assert third.status == MeetingStatus.CANCELLED
    event = MeetingEvent.objects.get(meeting=second, kind=EventKind.RESCHEDULED)
    assert event.reason == "A team offsite that morning"
    assert event.old_start == second.recurrence_id
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_moving_and_cancelling_need_a_reason_and_lose_nothing(client, pair):
    mentor, mentee = people(pair)
    start = dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    client.force_login(mentor)
    answer = client.post(
        reverse("scheduling:move", args=[meeting.public_id]), {"move-when": "2026-03-06T10:00"}
    )
    assert answer.status_code == 400
    assert "Say why" in answer.content.decode()
    answer = client.post(reverse("scheduling:cancel", args=[meeting.public_id]), {"cancel-reason": "   "})
    assert answer.status_code == 400
    answer = client.post(
        reverse("scheduling:move", args=[meeting.public_id]),
        {"move-when": "2026-03-01T10:00", "move-reason": "earlier"},
    )
    assert answer.status_code == 400
    assert "future" in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.starts_at == start
    assert meeting.sequence == 0


def test_outcome_only_after_the_start_and_stored(client, pair, clock):
    mentor, mentee = people(pair)
    start = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    client.force_login(mentee)
    client.post(reverse("scheduling:outcome", args=[meeting.public_id]), {"outcome": "held"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # not started yet
    clock.move_to(start + dt.timedelta(hours=1))
    client.post(reverse("scheduling:outcome", args=[meeting.public_id]), {"outcome": "missed"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MISSED
    assert MeetingEvent.objects.filter(meeting=meeting, kind=EventKind.MISSED, actor=mentee).count() == 1


def test_decline_tells_the_proposer_why(client, pair, smtp_server, django_capture_on_commit_callbacks):
    mentor, mentee = people(pair)
    meeting = services.meeting_propose(
        mentorship=pair,
        user=mentor,
        proposal=services.MeetingProposal(starts=[dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)], minutes=30),
    )
    client.force_login(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("scheduling:decline", args=[meeting.public_id]),
            {"decline-reason": "Travelling that week"},
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DECLINED
    sent = smtp_server.messages()
    assert [m["To"] for m in sent] == [mentor.email]
    assert "Travelling that week" in sent[0].get_body(("plain",)).get_content()


def test_recording_needs_everyone_and_the_default_prefills_it(client, pair):
    mentor, mentee = people(pair)
    # the pair's agreement says yes: it pre-fills everyone's consent, still asked per meeting
    AgreementVersion.objects.create(mentorship=pair, number=1, may_record=True, agreed_at=timezone.now())
    start = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    assert selectors.may_be_recorded(meeting)
    client.force_login(mentee)
    client.post(reverse("scheduling:consent", args=[meeting.public_id]), {})
    assert not selectors.may_be_recorded(meeting)
    client.post(reverse("scheduling:consent", args=[meeting.public_id]), {"consents": "on"})
    assert selectors.may_be_recorded(meeting)
    page = client.get(reverse("scheduling:meeting", args=[meeting.public_id]))
    assert "Everyone agreed that this meeting may be recorded." in page.content.decode()


def test_the_meeting_page_shows_each_persons_time_and_the_fallback(client, pair):
    mentor, mentee = people(pair)
    mentor.profile.phone = "+44 20 7946 0000"
    mentor.profile.save()
    start = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    client.force_login(mentee)
    body = client.get(reverse("scheduling:meeting", args=[meeting.public_id])).content.decode()
    assert "Tuesday 3 March 2026, 09:00" in body  # the mentee's own clock
    assert "Tue 3 Mar, 14:00" in body  # the mentor's, named
    assert "+44 20 7946 0000" in body
    assert meeting.video_url in body


def test_managers_see_when_but_not_links_numbers_or_reasons(client, pair):
    mentor, mentee = people(pair)
    mentor.profile.phone = "+44 20 7946 0000"
    mentor.profile.save()
    manager = UserFactory()
    pair.program.managers.add(manager)
    start = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    services.meeting_move(
        meeting=meeting,
        user=mentee,
        start=start + dt.timedelta(days=1),
        reason="my private dentist appointment",
    )
    client.force_login(manager)
    page = client.get(reverse("scheduling:meeting", args=[meeting.public_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Video call" in body
    for secret in (meeting.room, "+44 20 7946 0000", "dentist"):
        assert secret not in body
    assert (
        client.post(
            reverse("scheduling:cancel", args=[meeting.public_id]), {"cancel-reason": "x"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts", ["not a time"], "Pick times from the list"),
        ("starts", ["2026-03-03T14:00:00"], "Pick times from the list"),  # no zone
        ("starts", [], "Tick one to three times"),
        (
            "starts",
            ["2026-03-03T14:00:00+00:00"] * 2
            + ["2026-03-04T14:00:00+00:00", "2026-03-05T14:00:00+00:00", "2026-03-06T14:00:00+00:00"],
            "at most 3",
        ),
        ("starts", ["x" * 5000], "Pick times from the list"),
        ("starts", ["2020-01-01T10:00:00+00:00"], "future"),
        ("starts", ["2030-01-01T10:00:00+00:00"], "within the next year"),
        ("minutes", "5", "greater than or equal to 15"),
        ("minutes", "abc", "whole number"),
        ("channel", "carrier pigeon", "Select a valid choice"),
        ("fallback", "video", "different channel"),
        ("video_source", "personal", "Save your meeting link"),
        ("repeat_weeks", "9", "less than or equal to 4"),
        ("other", "2026-03-29T01:30", "couldn’t be interpreted"),  # not a London time that day
        ("title", "\x00" * 10, ""),
    ],
)
def test_bad_proposals_are_refused_in_words_and_write_nothing(client, pair, field, value, message):
    mentor, _ = people(pair)
    data = propose_form(dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    data[field] = value
    if field == "repeat_weeks":
        data["repeat"] = "on"
    client.force_login(mentor)
    answer = client.post(reverse("scheduling:propose", args=[pair.public_id]), data)
    assert answer.status_code == 400
    assert message in answer.content.decode().replace("&#x27;", "'")
    assert not Meeting.objects.exists()


def test_a_proposal_cannot_be_accepted_twice_or_by_its_author(client, pair):
    mentor, mentee = people(pair)
    start = dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    meeting = services.meeting_propose(
        mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
    )
    with pytest.raises(MeridianError, match="others accept"):
        services.meeting_accept(meeting=meeting, user=mentor, start=start)
    with pytest.raises(MeridianError, match="one of the proposed times"):
        services.meeting_accept(meeting=meeting, user=mentee, start=start + dt.timedelta(hours=1))
    services.meeting_accept(meeting=meeting, user=mentee, start=start)
    client.force_login(mentee)
    answer = client.post(reverse("scheduling:accept", args=[meeting.public_id]), {"start": start.isoformat()})
    assert answer.status_code == 302
    assert Meeting.objects.get().sequence == 0
    assert MeetingEvent.objects.filter(kind=EventKind.ACCEPTED).count() == 1


@pytest.mark.parametrize("start", ["", "x" * 100, "2026-03-03", "\x00", "2026-03-03T14:00:00+99:00"])
def test_hostile_accepts_never_500(client, pair, start):
    mentor, mentee = people(pair)
    meeting = services.meeting_propose(
        mentorship=pair,
        user=mentor,
        proposal=services.MeetingProposal(starts=[dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)], minutes=30),
    )
    client.force_login(mentee)
    answer = client.post(reverse("scheduling:accept", args=[meeting.public_id]), {"start": start})
    assert answer.status_code == 302
    assert Meeting.objects.get().status == MeetingStatus.PROPOSED


def test_booked_times_are_not_offered_again(client, pair):
    mentor, mentee = people(pair)
    client.force_login(mentee)
    offered = client.get(reverse("scheduling:schedule", args=[pair.public_id])).context["mutual"]
    start = offered.days[0].slots[0].starts[0]
    services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=45)
        ),
        user=mentee,
        start=start,
    )
    again = client.get(reverse("scheduling:schedule", args=[pair.public_id])).context["mutual"]
    starts = [s for d in again.days for slot in d.slots for s in slot.starts]
    assert start not in starts
    assert all(abs((s - start).total_seconds()) >= 45 * 60 for s in starts)


HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["\x00", "x" * 5000, "2026-02-30T25:61", "2026-03-29T01:30", "held; DROP TABLE", "<script>"]
    ),
)
ACTIONS = ["accept", "decline", "move", "cancel", "outcome", "consent"]
FIELDS = ["start", "decline-reason", "move-when", "move-reason", "cancel-reason", "outcome", "consents"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(ACTIONS), data=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=4))
def test_hostile_input_to_every_meeting_action_never_500s_and_changes_nothing_it_refuses(
    client, pair, action, data
):
    mentor, mentee = people(pair)
    start = dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    scheduled = services.meeting_accept(
        meeting=services.meeting_propose(
            mentorship=pair, user=mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
        ),
        user=mentee,
        start=start,
    )
    proposed = services.meeting_propose(
        mentorship=pair,
        user=mentor,
        proposal=services.MeetingProposal(starts=[start + dt.timedelta(days=1)], minutes=30),
    )
    client.force_login(mentee)
    for meeting in (scheduled, proposed):
        before = Meeting.objects.values("status", "starts_at", "sequence").get(pk=meeting.pk)
        answer = client.post(
            reverse(f"scheduling:{action}", args=[meeting.public_id]),
            data,
        )
        assert answer.status_code in (302, 400), answer.status_code
        if answer.status_code == 400:
            assert Meeting.objects.values("status", "starts_at", "sequence").get(pk=meeting.pk) == before


def test_each_members_column_is_on_that_members_own_clock_and_names_it(client, clock):
    """A mentee in Kolkata reads Yusuf's column in Sao Paulo time, not in their own."""
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "America/Sao_Paulo"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    every_day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    hours = {"America/Sao_Paulo": "09:15-11:45", "Asia/Kolkata": "06:00-23:00"}
    for member in pair.members.select_related("user__profile"):
        profile = member.user.profile
        profile.availability = "; ".join(f"{d} {hours[member.user.time_zone]}" for d in every_day)
        profile.save()
    _, mentee = people(pair)
    client.force_login(mentee)
    page = client.get(reverse("scheduling:schedule", args=[pair.public_id]))
    html = page.content.decode()
    assert "Yusuf (Sao Paulo time)" in html
    assert "Your time (Kolkata)" in html
    slot = page.context["mutual"].days[1].slots[0]
    theirs = slot.theirs[0].start.astimezone(zoneinfo.ZoneInfo("America/Sao_Paulo"))
    assert theirs.strftime("%H:%M") == "09:15"  # the finder had it right; the page must too
    cell = f'data-zone="America/Sao_Paulo">{theirs:%a} 09:15–11:45</td>'
    assert cell in html
    assert '<td class="nowrap">17:45–20:15' in html  # the viewer's own column, in Kolkata
    assert 'data-zone="America/Sao_Paulo">' + f"{theirs:%a} 17:45" not in html
