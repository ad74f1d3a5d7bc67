"""The pulse survey: planned at day 14, day 30 and every 60 days for both sides (never
twice, never for a program that turned it off, never in a pause), emailed with one-click
answers that a real SMTP server receives and the test client follows, each link once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings

from meridian.core.errors import MeridianError
from meridian.engagement import links, notices, pulse
from meridian.engagement.models import LadderSettings, Notice, Pause, Pulse, UsedLink
from meridian.mentorships.models import MentorshipStatus
from tests.factories import mentoring_pair, people

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # the pair starts on Monday 2 March 2026
# The reads (oldest start, members due, pauses, pulses asked), then one insert for the pulses and one
# for their notices, in a transaction: the same for any number of pairs.
QUERIES_TO_OPEN = 8


def day(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


def plan_on(clock: Any, n: int) -> Any:
    clock.move_to(day(n))
    return pulse.plan(now=day(n))


def points(pair: Any) -> list[tuple[str, int, dt.date]]:
    rows = Pulse.objects.filter(mentorship=pair).select_related("user").order_by("number", "role")
    return [(p.role, p.number, p.due_on) for p in rows]


def test_the_schedule_is_day_14_day_30_then_every_60_days() -> None:
    assert [pulse.due_day(n) for n in (1, 2, 3, 4)] == [14, 30, 90, 150]
    assert [pulse.number_due(d) for d in (13, 14, 29, 30, 89, 90, 149, 150)] == [None, 1, 1, 2, 2, 3, 3, 4]


def test_both_sides_get_each_point_once(pair: Any, clock: Any) -> None:
    start = pair.started_on
    assert plan_on(clock, 13) == {}
    assert plan_on(clock, 14)["pulses"] == 2
    assert plan_on(clock, 14).get("pulses", 0) == 0  # planning twice makes nothing new
    assert plan_on(clock, 20).get("pulses", 0) == 0
    assert plan_on(clock, 30)["pulses"] == 2
    assert plan_on(clock, 89).get("pulses", 0) == 0
    assert plan_on(clock, 90)["pulses"] == 2
    due = {n: start + dt.timedelta(days=d) for n, d in ((1, 14), (2, 30), (3, 90))}
    assert points(pair) == [(r, n, due[n]) for n in (1, 2, 3) for r in ("mentee", "mentor")]
    mentor, mentee = people(pair)
    keys = set(Notice.objects.filter(kind="pulse").values_list("key", flat=True))
    assert keys == {f"pulse:{p.public_id}" for p in Pulse.objects.all()}
    assert set(Notice.objects.values_list("user", flat=True)) == {mentor.pk, mentee.pk}


def test_a_group_gets_it_for_every_member_and_many_pairs_at_once(clock: Any) -> None:
    pairs = [mentoring_pair() for _ in range(3)]
    assert plan_on(clock, 14)["pulses"] == 6
    assert Pulse.objects.filter(mentorship__in=pairs, number=1).count() == 6


def test_a_run_that_was_down_catches_up_for_a_week_not_later(pair: Any, clock: Any) -> None:
    other = mentoring_pair()
    other.started_on = pair.started_on + dt.timedelta(days=1)
    other.save(update_fields=["started_on"])
    assert plan_on(clock, 22)["pulses"] == 2  # the other's day 14, a week late; the pair's 8 days late
    assert not Pulse.objects.filter(mentorship=pair).exists()
    assert Pulse.objects.filter(mentorship=other, number=1).count() == 2


def test_a_program_that_turned_it_off_gets_none(pair: Any, clock: Any) -> None:
    LadderSettings.objects.create(program=pair.program, pulse=False)
    assert plan_on(clock, 14).get("pulses", 0) == 0
    assert not Pulse.objects.exists()


def test_a_pause_skips_the_point_and_the_next_one_comes(pair: Any, clock: Any) -> None:
    Pause.objects.create(mentorship=pair, starts_on=day(10).date(), ends_on=day(16).date())
    for n in (14, 17, 20):  # paused on day 14: skipped, even once the pause is over
        assert plan_on(clock, n).get("pulses", 0) == 0
    assert plan_on(clock, 30)["pulses"] == 2
    assert {p.number for p in Pulse.objects.all()} == {2}


def test_an_ended_or_paused_mentorship_gets_none(pair: Any, clock: Any) -> None:
    pair.status = MentorshipStatus.PAUSED
    pair.save(update_fields=["status"])
    assert plan_on(clock, 14).get("pulses", 0) == 0


# ---------------------------------------------------------------- the email and its links


def _links_in(text: str) -> dict[str, str]:
    """The one-click links of the email's text, by their label."""
    return dict(re.findall(r"^\s+(.+?): (http\S+)$", text.replace("\r\n", "\n"), flags=re.MULTILINE))


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def mailed(pair: Any, clock: Any, smtp_server: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Day 14's pulse emailed to both: the mentee's email (in Kathmandu)."""
    plan_on(clock, 14)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.deliver_due(now=day(14))["sent"] == 2
    _mentor, mentee = people(pair)
    (mail,) = [m for m in smtp_server.messages() if mentee.email in m["To"]]
    return mail


def test_the_email_has_both_parts_and_eleven_one_click_links(mailed: Any, pair: Any) -> None:
    assert mailed["Subject"] == "How is it going with Ana Ruiz? Three questions, one click each"
    text = mailed.get_body(preferencelist=("plain",)).get_content()
    html = mailed.get_body(preferencelist=("html",)).get_content()
    found = _links_in(text)
    labels = ["1: badly", "2: not so well", "3: all right", "4: well", "5: very well", "Partly"]
    labels += ["Not sure", "I don't want to continue"]
    assert set(labels) <= set(found)
    assert len(set(re.findall(r"https?://\S+/r/\S+/", text))) == 11  # five + three + three
    for url in re.findall(r"https?://\S+/r/\S+/", text):
        assert f'href="{url}"' in html
    # open for two weeks, on the mentee's clock (Kathmandu is UTC+5:45), the zone named
    for body in (text, html):
        assert "Monday 30 March, 13:45, your time (Asia/Kathmandu)" in body
        assert f"/mentorships/{pair.public_id}/" in body
        assert "never your partner" in body


def test_a_link_answers_once_and_the_others_still_work(mailed: Any, client: Any) -> None:
    found = _links_in(mailed.get_body(preferencelist=("plain",)).get_content())
    page = client.post(_path(found["4: well"]))
    assert page.status_code == 200
    assert "your answer is saved" in page.content.decode()
    mine = Pulse.objects.get(user__email=mailed["To"].addresses[0].addr_spec)
    assert (mine.rating, mine.met, mine.answered_at) == (4, "", day(14))
    first_answer = mine.answered_at
    again = client.post(_path(found["4: well"]))
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    assert client.post(_path(found["Partly"])).status_code == 200
    mine.refresh_from_db()
    assert (mine.rating, mine.met, mine.answered_at) == (4, "partly", first_answer)
    assert "_auth_user_id" not in client.session


def test_not_wanting_to_continue_says_what_happens_next(mailed: Any, client: Any, pair: Any) -> None:
    found = _links_in(mailed.get_body(preferencelist=("plain",)).get_content())
    page = " ".join(client.post(_path(found["I don't want to continue"])).content.decode().split())
    assert "The program&#x27;s managers will be in touch" in page
    assert "nothing ends automatically" in page
    assert f'href="{settings.SITE_URL}/mentorships/{pair.public_id}/close/"' in page
    assert Pulse.objects.filter(wants_continue="no").count() == 1
    assert pair.__class__.objects.get(pk=pair.pk).status == MentorshipStatus.ACTIVE


def test_an_expired_link_is_refused(mailed: Any, client: Any) -> None:
    found = _links_in(mailed.get_body(preferencelist=("plain",)).get_content())
    with time_machine.travel(day(29), tick=False):
        answer = client.post(_path(found["5: very well"]))
    assert answer.status_code == 410
    assert "expired" in answer.content.decode()
    assert not Pulse.objects.filter(rating__isnull=False).exists()


def test_a_link_cannot_answer_someone_elses_pulse(pair: Any, clock: Any, client: Any) -> None:
    plan_on(clock, 14)
    mentor, mentee = people(pair)
    theirs = Pulse.objects.get(user=mentee)
    forged = links.link(mentor, "pulse", theirs.public_id, "rating:1")
    answer = client.post(_path(forged))
    assert answer.status_code == 400
    assert "not yours" in answer.content.decode()
    theirs.refresh_from_db()
    assert theirs.rating is None
    assert UsedLink.objects.count() == 0
    for choice in ("rating:9", "met:maybe", "colour:blue"):
        assert client.post(_path(links.link(mentee, "pulse", theirs.public_id, choice))).status_code == 400
    assert client.post(_path(links.link(mentee, "pulse", "not-a-uuid", "rating:1"))).status_code == 400


# ---------------------------------------------------------------- the service


def test_each_question_alone_then_changed_while_open_and_not_after(pair: Any, clock: Any) -> None:
    plan_on(clock, 14)
    mentor, mentee = people(pair)
    mine = Pulse.objects.get(user=mentee)
    with pytest.raises(MeridianError, match="at least one"):
        pulse.pulse_answer(pulse=mine, user=mentee)
    with pytest.raises(MeridianError, match="someone else"):
        pulse.pulse_answer(pulse=mine, user=mentor, rating=5)
    with pytest.raises(MeridianError) as bad:
        pulse.pulse_answer(pulse=mine, user=mentee, rating=0)
    assert bad.value.field == "rating"
    pulse.pulse_answer(pulse=mine, user=mentee, wants_continue="unsure")
    clock.move_to(day(20))
    done = pulse.pulse_answer(pulse=mine, user=mentee, rating=2, wants_continue="yes")
    assert (done.rating, done.met, done.wants_continue, done.answered_at) == (2, "", "yes", day(14))
    clock.move_to(day(28))
    with pytest.raises(MeridianError, match="closed"):
        pulse.pulse_answer(pulse=mine, user=mentee, rating=5)
    assert Pulse.objects.get(pk=mine.pk).rating == 2


@pytest.mark.parametrize("pairs", [1, 4])
def test_opening_pulses_reads_and_writes_in_the_same_queries_for_any_number_of_pairs(
    clock: Any, pairs: int, django_assert_num_queries: Any
) -> None:
    for _ in range(pairs):
        mentoring_pair()
    clock.move_to(day(14))
    with django_assert_num_queries(QUERIES_TO_OPEN):
        assert pulse.plan(now=day(14))["pulses"] == 2 * pairs
    assert Notice.objects.filter(kind="pulse").count() == 2 * pairs
