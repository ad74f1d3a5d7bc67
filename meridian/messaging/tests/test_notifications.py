"""Email about unread messages, against a real SMTP server: batched to one email per
thread and recipient an hour, none while they read the page, none twice for a job
delivered twice, in the recipient's zone with a link."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings

from meridian.messaging import notifications, services
from meridian.messaging.models import Message, ThreadRead
from meridian.messaging.tests.conftest import fresh_thread

pytestmark = pytest.mark.django_db(transaction=True)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> time_machine.travel:
    return time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False)


def send(talk, author, body="Hello"):
    return services.message_send(thread=fresh_thread(talk.thread), author=author, body=body)


def mails_to(smtp, person):
    return [m for m in smtp.messages() if person.email in m["To"]]


def test_it_sends_one_email_an_hour_with_a_link_in_the_readers_zone(talk, smtp_server):
    for minute in (0, 1, 2):
        with at(minute):
            send(talk, talk.mentor, f"Note {minute}")
    read = ThreadRead.objects.get(thread=talk.thread, user=talk.mentee)
    assert read.notify_after == T0 + notifications.DELAY
    with at(4):
        assert notifications.deliver_due() == {}
    with at(5):
        assert notifications.deliver_due() == {"sent": 1}
        assert notifications.deliver(read.pk) == "done"  # the same job delivered again
    assert len(mails_to(smtp_server, talk.mentee)) == 1
    assert mails_to(smtp_server, talk.mentor) == []

    mail = mails_to(smtp_server, talk.mentee)[0]
    assert "3 new messages from Ana Ruiz" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    link = f"{settings.SITE_URL}/mentorships/{talk.mentorship.public_id}/messages/"
    assert link in text
    assert f'href="{link}"' in html
    latest = Message.objects.latest("id").created_at.astimezone(zoneinfo.ZoneInfo("Europe/Berlin"))
    for body in (text, html):
        assert latest.strftime("%H:%M") in body
        assert "Europe/Berlin" in body
        assert "Note 1" not in body  # the email tells, the page shows

    with at(10):
        send(talk, talk.mentor, "Another")
    assert ThreadRead.objects.get(pk=read.pk).notify_after == T0 + dt.timedelta(minutes=65)
    with at(30):
        assert notifications.deliver_due() == {}
    with at(65):
        assert notifications.deliver_due() == {"sent": 1}
    assert len(mails_to(smtp_server, talk.mentee)) == 2


def test_no_email_while_the_reader_is_on_the_page(talk, smtp_server, client):
    client.force_login(talk.mentee)
    with at(0):
        first = send(talk, talk.mentor, "Are you there?")
    with at(4.5):  # the page polls: they see it
        response = client.get(f"/mentorships/{talk.mentorship.public_id}/messages/new/")
        assert "Are you there?" in response.content.decode()
    with at(5):
        assert notifications.deliver_due() == {"read": 1}

    with at(6):
        send(talk, talk.mentor, "Still there?")
    with at(10.8):  # on the page, the poll not yet showing the newest one
        services.thread_mark_read(thread=talk.thread, user=talk.mentee, upto=first.pk)
    with at(11):
        assert notifications.deliver_due() == {"on_page": 1}
    with at(16):  # they left without reading it: now the email goes
        assert notifications.deliver_due() == {"sent": 1}
    assert len(mails_to(smtp_server, talk.mentee)) == 1


def test_a_removed_member_gets_no_email(talk, smtp_server):
    with at(0):
        send(talk, talk.mentor, "Hello")
    talk.mentorship.members.filter(user=talk.mentee).update(is_current=False)
    with at(5):
        assert notifications.deliver_due() == {"not_member": 1}
    assert smtp_server.messages() == []


def test_on_the_database_backend_a_job_waits_and_a_second_delivery_sends_nothing(talk, smtp_server, settings):
    import io

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from meridian.messaging.tasks import notify_unread

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO(), "verbosity": 0}
    with at(0):
        send(talk, talk.mentor, "one")
        send(talk, talk.mentor, "two")  # one job pending: the second message adds none
    jobs = DBTaskResult.objects.filter(task_path__endswith="notify_unread")
    assert jobs.count() == 1
    assert jobs.get().run_after == T0 + notifications.DELAY
    with at(1):
        call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
    assert mails_to(smtp_server, talk.mentee) == []  # not before its time
    read_id = ThreadRead.objects.get(thread=talk.thread, user=talk.mentee).pk
    with at(6):
        notify_unread.enqueue(read_id)  # the same job, delivered a second time
        call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
        call_command("db_worker", "--batch", "--no-startup-delay", **quiet)
    assert len(mails_to(smtp_server, talk.mentee)) == 1
    assert sorted(r.return_value for r in jobs.filter(status="SUCCESSFUL")) == ["done", "sent"]


def test_a_group_has_one_thread_and_every_other_member_hears_of_it(smtp_server):
    from meridian.mentorships.services import start
    from meridian.messaging.selectors import get_thread_for_user
    from tests.factories import CohortFactory, EnrollmentFactory, ProgramFactory

    cohort = CohortFactory(program=ProgramFactory(kind="group", group_size=3), status="running")
    mentor = EnrollmentFactory(cohort=cohort, role="mentor", capacity=3)
    mentees = [EnrollmentFactory(cohort=cohort, role="mentee") for _ in range(3)]
    group = start(mentor=mentor, mentees=mentees).mentorship
    assert group.kind == "group"
    threads = {get_thread_for_user(e.user, group.public_id).pk for e in [mentor, *mentees]}
    assert len(threads) == 1
    with at(0):
        writer = mentees[0].user
        services.message_send(
            thread=get_thread_for_user(writer, group.public_id), author=writer, body="Hi all"
        )
    with at(5):
        assert notifications.deliver_due() == {"sent": 3}
    told = sorted(to for m in smtp_server.messages() for to in [m["To"]])
    assert told == sorted(e.user.email for e in [mentor, *mentees[1:]])


def test_a_message_whose_author_left_is_told_as_from_a_former_member(talk, smtp_server):
    with at(0):
        send(talk, talk.mentor, "Before I go")
    talk.mentor.delete()
    with at(5):
        assert notifications.deliver_due() == {"sent": 1}
    mail = mails_to(smtp_server, talk.mentee)[0]
    assert "A new message from A former member" in mail["Subject"]
    for kind in ("plain", "html"):
        body = " ".join(mail.get_body(preferencelist=(kind,)).get_content().split())
        assert "A former member wrote to you in your mentorship" in body
