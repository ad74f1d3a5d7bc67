"""A mentor's or mentee's home: the partner's card with their zone and local time, the next
meeting in both people's time, proposals waiting for their answer, their open action items,
their cohort; "Choose your mentor" only while unmatched; what the profile lacks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from meridian.accounts.models import Profile
from meridian.scheduling import services
from meridian.scheduling.models import ActionItem
from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory, UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
SAO_PAULO = zoneinfo.ZoneInfo("America/Sao_Paulo")


def _pair():
    pair = mentoring_pair(
        mentor_fields={"name": "Yusuf Demir", "time_zone": "America/Sao_Paulo"},
        mentee_fields={"name": "Priya Raman", "time_zone": "Asia/Kolkata"},
    )
    people = {m.role: m.user for m in pair.members.select_related("user")}
    return pair, people


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_home_shows_the_partner_the_next_meeting_in_both_times_proposals_and_actions(client):
    pair, people = _pair()
    start = (timezone.now() + dt.timedelta(days=3)).replace(minute=30, second=0, microsecond=0)
    meeting = services.meeting_propose(
        mentorship=pair, user=people["mentee"], proposal=services.MeetingProposal(starts=[start], minutes=45)
    )
    services.meeting_accept(meeting=meeting, user=people["mentor"], start=start)
    later = start + dt.timedelta(days=7)
    theirs = services.meeting_propose(
        mentorship=pair,
        user=people["mentor"],
        proposal=services.MeetingProposal(starts=[later], minutes=45, title="Career talk"),
    )
    mine = services.meeting_propose(
        mentorship=pair,
        user=people["mentee"],
        proposal=services.MeetingProposal(starts=[later], minutes=45, title="Mine"),
    )
    ActionItem.objects.create(
        mentorship=pair, text="Draft the CV", owner=people["mentee"], due_on=dt.date(2030, 3, 4)
    )
    ActionItem.objects.create(
        mentorship=pair, text="Read the book", owner=people["mentee"], done_at=timezone.now()
    )
    ActionItem.objects.create(mentorship=pair, text="Find a contact", owner=people["mentor"])
    client.force_login(people["mentee"])

    page = _text(client.get("/"))

    assert "Yusuf Demir</strong>, your mentor · America/Sao Paulo" in page
    assert f"{timezone.now().astimezone(SAO_PAULO):%H}:" in page.split("your mentor")[1][:60]
    mine_at, theirs_at = start.astimezone(KOLKATA), start.astimezone(SAO_PAULO)
    assert f"Next meeting: {mine_at:%a} {mine_at.day} {mine_at:%b}, {mine_at:%H:%M} (Asia/Kolkata)" in page
    theirs_when = f"{theirs_at:%a} {theirs_at.day} {theirs_at:%b}, {theirs_at:%H:%M}"
    assert f"For Yusuf Demir: {theirs_when} (America/Sao Paulo)" in page
    assert "1 proposal waits for your answer:" in page
    assert f'href="/meetings/{theirs.public_id}/">Career talk, proposed by Yusuf Demir' in page
    assert f"/meetings/{mine.public_id}/" not in page  # mine waits for them, not for me
    assert "1 open action item:" in page
    assert "Draft the CV" in page
    assert "Read the book" not in page
    assert "Find a contact" not in page
    assert f'href="/cohorts/{pair.cohort.public_id}/">{pair.cohort.name}</a>' in page


def test_choose_your_mentor_shows_only_while_unmatched(client):
    program = ProgramFactory(matching_mode="self_select")
    mentee = UserFactory()
    waiting = CohortFactory(program=program, status="running", name="Waiting cohort")
    EnrollmentFactory(cohort=waiting, user=mentee, role="mentee")
    mentoring_pair(mentee=mentee, program=program)
    client.force_login(mentee)

    page = client.get("/").content.decode()

    assert page.count("Choose your mentor") == 1  # in the cohort without a mentor, not the matched one
    assert f'href="/cohorts/{waiting.public_id}/mentors/">Choose your mentor' in page


def test_the_home_names_what_the_profile_lacks_with_links(client):
    user = UserFactory()
    client.force_login(user)
    Profile.objects.filter(user=user).update(title="Analyst", department="", seniority=None, languages=["en"])

    page = _text(client.get("/"))

    assert "Still missing:" in page
    assert '<a href="/profile/#id_skills_wanted">skills I want to grow</a>' in page
    assert '<a href="/profile/#id_availability">' in page
    assert 'href="/profile/#id_title"' not in page
    assert 'href="/profile/#id_languages"' not in page


@pytest.mark.parametrize("rows", [1, 10])
def test_it_pins_the_participants_home_page(client, django_assert_num_queries, rows):
    mentor = UserFactory(time_zone="Europe/Berlin")
    start = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    for n in range(rows):
        pair = mentoring_pair(mentor=mentor)
        mentee = pair.members.get(role="mentee").user
        meeting = services.meeting_propose(
            mentorship=pair, user=mentee, proposal=services.MeetingProposal(starts=[start], minutes=30)
        )
        services.meeting_accept(meeting=meeting, user=mentor, start=start)
        services.meeting_propose(
            mentorship=pair,
            user=mentee,
            proposal=services.MeetingProposal(starts=[start + dt.timedelta(days=n + 1)], minutes=30),
        )
        ActionItem.objects.create(mentorship=pair, text=f"Action {n}", owner=mentor)
    client.force_login(mentor)
    # session, user, profile, the manager's part (programs managed, none), my enrolments,
    # open cohorts; then mine: memberships, their members with people, next meetings,
    # proposals waiting, open action items; the program's asks (engagement: open pulses,
    # requests to observe, nudges and proposed closures); mentorships closed lately
    with django_assert_num_queries(15):
        page = client.get("/").content.decode()
    assert page.count("1 proposal waits for your answer:") == rows
    assert page.count("1 open action item:") == rows


def test_the_meeting_page_names_the_viewers_zone_on_times_buttons_and_history(client):
    pair, people = _pair()
    start = (timezone.now() + dt.timedelta(days=3)).replace(minute=30, second=0, microsecond=0)
    meeting = services.meeting_propose(
        mentorship=pair, user=people["mentee"], proposal=services.MeetingProposal(starts=[start], minutes=45)
    )
    client.force_login(people["mentor"])
    at = start.astimezone(SAO_PAULO)
    when = f"{at:%a} {at.day} {at:%b}, {at:%H:%M}"

    page = _text(client.get(f"/meetings/{meeting.public_id}/"))
    assert f"Accept {when} (Sao Paulo time)" in page
    assert " (Sao Paulo time) · Proposed by Priya Raman" in page  # the history line

    client.force_login(people["mentee"])  # the proposer sees the list of times
    at = start.astimezone(KOLKATA)
    assert f"<li>{at:%a} {at.day} {at:%b}, {at:%H:%M} (Kolkata time)</li>" in _text(
        client.get(f"/meetings/{meeting.public_id}/")
    )
