"""Observing a session (E5): a program manager asks on a booked session still to come; it
happens only if every member says yes; a no declines it and the manager never learns who
said it; the manager may withdraw; nobody else asks, answers or sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from meridian.engagement.models import Notice, ObservationConsent, ObservationRequest
from tests.factories import ProgramFactory, UserFactory, meeting_booked, mentoring_pair, people

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def manager() -> Any:
    return UserFactory(name="Mona Manager")


@pytest.fixture
def meeting(manager: Any) -> Any:
    pair = mentoring_pair(program=ProgramFactory(managers=[manager]))
    start = (timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    return meeting_booked(pair, start)


def ask(client: Client, meeting: Any, why: str = "To learn how our pairs plan their goals.") -> Any:
    return client.post(f"/meetings/{meeting.public_id}/observe/", {"why": why}, headers=HTMX)


def answer(client: Client, person: Any, request: ObservationRequest, choice: str) -> Any:
    client.force_login(person)
    return client.post(f"/observations/{request.public_id}/answer/", {"answer": choice}, headers=HTMX)


def test_it_happens_only_when_every_member_says_yes(client: Client, manager, meeting):
    mentor, mentee = people(meeting.mentorship)
    client.force_login(manager)
    asked = ask(client, meeting)
    assert "Asked: the pair decides" in asked.content.decode()
    request = ObservationRequest.objects.get()
    assert request.status == "asked"
    assert set(Notice.objects.filter(kind="observe_ask").values_list("user", flat=True)) == {
        mentor.pk,
        mentee.pk,
    }

    seen = answer(client, mentor, request, "yes").content.decode()
    assert "You said yes." in seen
    request.refresh_from_db()
    assert request.status == "asked"  # one yes is not enough
    answer(client, mentee, request, "yes")
    request.refresh_from_db()
    assert request.status == "agreed"
    assert Notice.objects.get(kind="observe_result").user == manager

    client.force_login(manager)
    page = client.get(f"/mentorships/{meeting.mentorship.public_id}/").content.decode()
    assert "Both agreed: you may join this session." in page
    assert f"/meetings/{meeting.public_id}/" in page


def test_one_no_declines_and_the_manager_never_sees_who(client: Client, manager, meeting):
    mentor, mentee = people(meeting.mentorship)
    client.force_login(manager)
    ask(client, meeting)
    request = ObservationRequest.objects.get()
    answer(client, mentor, request, "yes")
    answer(client, mentee, request, "no")
    request.refresh_from_db()
    assert request.status == "declined"
    again = answer(client, mentor, request, "no").content.decode()
    assert "This request is no longer open." in again

    client.force_login(manager)
    page = client.get(f"/mentorships/{meeting.mentorship.public_id}/").content.decode()
    assert "Declined" in page
    assert "said no" not in page
    assert "said yes" not in page


def test_a_manager_withdraws_and_may_ask_again(client: Client, manager, meeting):
    client.force_login(manager)
    ask(client, meeting)
    assert "You have asked to observe this session already." in ask(client, meeting).content.decode()
    request = ObservationRequest.objects.get()
    withdrawn = client.post(f"/observations/{request.public_id}/withdraw/", headers=HTMX)
    assert "Request withdrawn." in withdrawn.content.decode()
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert answer(client, people(meeting.mentorship)[0], request, "yes").status_code == 200
    assert not ObservationConsent.objects.exists()  # refused: no longer open
    client.force_login(manager)
    ask(client, meeting)
    assert ObservationRequest.objects.filter(status="asked").count() == 1


def test_the_reason_is_checked_next_to_its_field(client: Client, manager, meeting):
    client.force_login(manager)
    html = ask(client, meeting, why="  ").content.decode()
    assert html.count("This field is required.") == 1  # beside the field, once
    html = ask(client, meeting, why="x" * 501).content.decode()
    assert html.count("Ensure this value has at most 500 characters (it has 501).") == 1
    assert not ObservationRequest.objects.exists()
    plain = client.post(f"/meetings/{meeting.public_id}/observe/", {"why": ""})
    assert plain.status_code == 302
    assert not ObservationRequest.objects.exists()


def test_only_a_booked_session_still_to_come_can_be_observed(client: Client, manager, meeting):
    from meridian.scheduling.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(manager)
    html = ask(client, meeting).content.decode()
    assert not ObservationRequest.objects.exists()
    assert "You can only ask to observe a booked session that is still to come." in html
    assert "No booked session is coming up." in html


def test_nobody_else_asks_answers_or_sees_it(client: Client, manager, meeting):
    mentor, mentee = people(meeting.mentorship)
    stranger_manager = UserFactory()
    ProgramFactory(managers=[stranger_manager])
    for person in (mentor, stranger_manager, UserFactory()):
        client.force_login(person)
        assert ask(client, meeting).status_code == 404
    client.force_login(manager)
    ask(client, meeting)
    request = ObservationRequest.objects.get()
    for person in (manager, stranger_manager, UserFactory()):
        assert answer(client, person, request, "yes").status_code == 404
    for person in (mentor, mentee, stranger_manager):
        client.force_login(person)
        assert client.post(f"/observations/{request.public_id}/withdraw/").status_code == 404
    assert ObservationRequest.objects.get().status == "asked"


@pytest.mark.django_db(transaction=True)
@time_machine.travel(dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_each_member_is_asked_by_email_in_their_zone_and_the_manager_told_the_outcome(smtp_server):
    from django.conf import settings

    from meridian.engagement import notices, observe

    manager = UserFactory(name="Mona Manager", time_zone="America/New_York")
    pair = mentoring_pair(
        program=ProgramFactory(managers=[manager]),
        mentor_fields={"time_zone": "Asia/Tokyo"},
        mentee_fields={"time_zone": "Europe/Berlin"},
    )
    start = dt.datetime(2027, 3, 4, 9, 0, tzinfo=dt.UTC)
    meeting = meeting_booked(pair, start)
    mentor, mentee = people(pair)
    request = observe.observation_ask(meeting=meeting, manager=manager, why="To learn from you both.")
    notices.deliver_due(now=timezone.now())

    mails = {m["To"]: m for m in smtp_server.messages()}
    assert set(mails) == {mentor.email, mentee.email}
    link = f"{settings.SITE_URL}/mentorships/{pair.public_id}/"
    for person, local in ((mentor, "18:00"), (mentee, "10:00")):
        text = mails[person.email].get_body(preferencelist=("plain",)).get_content()
        html = mails[person.email].get_body(preferencelist=("html",)).get_content()
        for body in (text, html):
            assert f"Thursday 4 March, {local}" in body
            assert person.time_zone in body
            assert "To learn from you both." in body
        assert link in text
    observe.observation_answer(request=request, user=mentor, consents=True)
    observe.observation_answer(request=request, user=mentee, consents=False)
    notices.deliver_due(now=timezone.now())
    told = [m for m in smtp_server.messages() if m["To"] == manager.email]
    assert [m["Subject"] for m in told] == ["Your request to observe a session was declined"]
    assert "04:00" in told[0].get_body(preferencelist=("plain",)).get_content()  # 09:00 UTC in New York
