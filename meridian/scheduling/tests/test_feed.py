"""The private calendar feed: the page (signed in), renewing and turning off the address,
and the .ics calendar apps fetch with nothing but the token."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from meridian.scheduling.models import CalendarFeed, Channel, Meeting, MeetingStatus, Series
from tests.factories import UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LONDON = zoneinfo.ZoneInfo("Europe/London")
PAGE, NEW, OFF = "/calendar/feed/", "/calendar/feed/new/", "/calendar/feed/off/"
SITE = "https://meridian.example.org"


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.SITE_URL = SITE


def user_of(mentorship: Any, role: str) -> Any:
    return mentorship.members.get(role=role).user


def meeting(mentorship: Any, start: dt.datetime | None, **fields: Any) -> Meeting:
    values = {
        "mentorship": mentorship,
        "status": MeetingStatus.SCHEDULED,
        "starts_at": start,
        "minutes": 45,
        "proposed_by": user_of(mentorship, "mentor"),
        "channel": Channel.VIDEO,
        "video_url": "https://meet.jit.si/abc",
    }
    return Meeting.objects.create(**{**values, **fields})


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def ics_url(token: str) -> str:
    return reverse("scheduling:feed_ics", args=[token])


def read(client: Client, token: str) -> Any:
    response = client.get(ics_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_urls_are_where_the_lead_expects_them():
    assert reverse("scheduling:feed") == PAGE
    assert reverse("scheduling:feed_new") == NEW
    assert reverse("scheduling:feed_off") == OFF
    assert ics_url("abc") == "/calendar/abc.ics"


@pytest.mark.parametrize(("method", "url"), [("get", PAGE), ("post", NEW), ("post", OFF)])
def test_it_sends_anonymous_visitors_to_sign_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_page_offers_to_turn_the_feed_on_and_changes_nothing_by_itself():
    user = UserFactory()
    response = signed_in(user).get(PAGE)
    assert response.status_code == 200
    assert "Your calendar feed is off" in response.content.decode()
    assert f'action="{NEW}"' in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_turning_it_on_shows_the_private_address_in_both_forms():
    user = UserFactory()
    client = signed_in(user)
    response = client.post(NEW, follow=True)
    feed = CalendarFeed.objects.get(user=user, revoked_at__isnull=True)
    html = response.content.decode()
    assert response.redirect_chain == [(PAGE, 302)]
    assert f'value="{SITE}/calendar/{feed.token}.ics"' in html
    assert f'href="webcal://meridian.example.org/calendar/{feed.token}.ics"' in html
    assert "Your calendar feed is on" in html
    for app in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert app in html
    assert "Create a new address" in html
    assert "Turn the feed off" in html
    assert "data-copy" in html


def test_the_buttons_only_take_posts_with_a_csrf_token():
    user = UserFactory()
    assert signed_in(user).get(NEW).status_code == 405
    assert signed_in(user).get(OFF).status_code == 405
    assert signed_in(user, enforce_csrf_checks=True).post(NEW).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_a_new_address_revokes_the_old_one(pair):
    ana = user_of(pair, "mentor")
    client = signed_in(ana)
    client.post(NEW)
    old = CalendarFeed.objects.get(user=ana).token
    assert Client().get(ics_url(old)).status_code == 200
    response = client.post(NEW, follow=True)
    assert "the old one no longer works" in response.content.decode()
    new = CalendarFeed.objects.get(user=ana, revoked_at__isnull=True).token
    assert new != old
    assert Client().get(ics_url(old)).status_code == 404
    assert Client().get(ics_url(new)).status_code == 200
    assert old not in response.content.decode()


def test_turning_it_off_makes_the_address_answer_404(pair):
    ana = user_of(pair, "mentor")
    client = signed_in(ana)
    client.post(NEW)
    token = CalendarFeed.objects.get(user=ana).token
    response = client.post(OFF, follow=True)
    assert "Your calendar feed is off" in response.content.decode()
    assert Client().get(ics_url(token)).status_code == 404
    assert client.post(OFF).status_code == 302  # twice is harmless


def test_a_person_sees_only_their_own_address():
    ana, ben = UserFactory(), UserFactory()
    signed_in(ana).post(NEW)
    token = CalendarFeed.objects.get(user=ana).token
    assert token not in signed_in(ben).get(PAGE).content.decode()


HOSTILE = [
    "../../etc/passwd",
    "..%2F..%2Fsettings",
    "%00",
    "a" * 10_000,
    "ключ-" * 10,
    "🙂" * 40,
    "' OR '1'='1' --  padding padding padding",
    "%20" * 40,
]


@pytest.mark.parametrize("token", HOSTILE)
def test_hostile_tokens_get_404_never_500(token):
    client = Client(raise_request_exception=False)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_real_token_with_a_nul_byte_or_extra_text_gets_404(pair):
    feed = CalendarFeed.objects.create(user=user_of(pair, "mentor"))
    client = Client(raise_request_exception=False)
    for url in (
        f"/calendar/{feed.token}%00.ics",
        f"/calendar/%00{feed.token}.ics",
        f"/calendar/{feed.token}x.ics",
    ):
        assert client.get(url).status_code == 404, url
    if feed.token.upper() != feed.token:  # tokens are compared exactly, case and all
        assert client.get(f"/calendar/{feed.token.upper()}.ics").status_code == 404
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 200


def test_an_inactive_persons_feed_is_gone(pair):
    ana = user_of(pair, "mentor")
    feed = CalendarFeed.objects.create(user=ana)
    ana.is_active = False
    ana.save()
    assert Client().get(ics_url(feed.token)).status_code == 404


def test_the_feed_holds_this_persons_meetings_and_no_one_elses(pair, clock):
    ana = user_of(pair, "mentor")
    mine = meeting(pair, dt.datetime(2026, 3, 3, 9, tzinfo=LONDON), title="Goals; plans, and\nnext steps")
    held = meeting(pair, NOW - dt.timedelta(days=20), status=MeetingStatus.HELD)
    meeting(pair, NOW - dt.timedelta(days=400), status=MeetingStatus.HELD)  # too old
    meeting(pair, NOW + dt.timedelta(days=5), status=MeetingStatus.CANCELLED)
    meeting(pair, None, status=MeetingStatus.PROPOSED)
    series = Series.objects.create(
        mentorship=pair,
        every_weeks=1,
        count=3,
        zone="Europe/London",
        first_start=dt.datetime(2026, 3, 24, 9, tzinfo=LONDON),
    )
    for n in range(3):
        start = dt.datetime(2026, 3, 24, 9) + dt.timedelta(weeks=n)
        start = start.replace(tzinfo=LONDON)
        meeting(pair, start, series=series, recurrence_id=start)
    theirs = mentoring_pair()
    other = meeting(theirs, NOW + dt.timedelta(days=1), proposed_by=user_of(theirs, "mentor"))
    feed = CalendarFeed.objects.create(user=ana)

    calendar = read(Client(), feed.token)
    assert "METHOD" not in calendar
    assert calendar["X-WR-CALNAME"] == "Meridian mentoring sessions"
    uids = {str(e["UID"]) for e in calendar.events}
    assert uids == {mine.uid, held.uid, series.uid}
    assert other.uid not in uids
    found = recurring_ical_events.of(calendar).between(
        NOW - dt.timedelta(days=365), NOW + dt.timedelta(days=365)
    )
    starts = sorted(e["DTSTART"].dt.astimezone(dt.UTC) for e in found)
    assert len(starts) == 5
    # The series crosses the clock change: 09:00 London is 09:00 UTC, then 08:00 UTC.
    assert [s.hour for s in starts[-3:]] == [9, 8, 8]
    (titled,) = [e for e in calendar.events if e["UID"] == mine.uid]
    assert str(titled["SUMMARY"]) == "Goals; plans, and\nnext steps with Ben Okafor"


def test_the_feed_records_its_last_read_at_most_once_a_minute(pair, clock, django_assert_max_num_queries):
    feed = CalendarFeed.objects.create(user=user_of(pair, "mentor"))
    client = Client()
    client.get(ics_url(feed.token))
    feed.refresh_from_db()
    assert feed.last_read_at == NOW
    clock.shift(dt.timedelta(seconds=30))
    client.get(ics_url(feed.token))
    feed.refresh_from_db()
    assert feed.last_read_at == NOW
    clock.shift(dt.timedelta(seconds=31))
    client.get(ics_url(feed.token))
    feed.refresh_from_db()
    assert feed.last_read_at == NOW + dt.timedelta(seconds=61)


def test_the_feed_costs_a_few_queries_however_many_meetings(pair, clock, django_assert_max_num_queries):
    for n in range(20):
        meeting(pair, NOW + dt.timedelta(days=n + 1))
    feed = CalendarFeed.objects.create(user=user_of(pair, "mentor"))
    with django_assert_max_num_queries(8):
        assert Client().get(ics_url(feed.token)).status_code == 200
