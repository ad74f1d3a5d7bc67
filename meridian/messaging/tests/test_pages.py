"""The conversation page, its send form and its poll fragment, through the test client
(the browser test drives the htmx in a real browser)."""

from __future__ import annotations

import re
import time

import pytest

from meridian.messaging import services
from meridian.messaging.models import Message, ThreadRead
from meridian.messaging.tests.conftest import fresh_thread
from meridian.messaging.views import POLL_SECONDS

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(talk, suffix=""):
    return f"/mentorships/{talk.mentorship.public_id}/messages/{suffix}"


def send(talk, author, body="Hello"):
    return services.message_send(thread=fresh_thread(talk.thread), author=author, body=body)


def test_it_shows_the_thread_newest_at_the_bottom_in_the_readers_time(client, talk):
    first = send(talk, talk.mentor, "Morning!")
    send(talk, talk.mentor, "<b>bold</b> and\nnew line")
    client.force_login(talk.mentee)  # Berlin
    page = client.get(url(talk)).content.decode()
    assert page.index("Morning!") < page.index("&lt;b&gt;bold&lt;/b&gt; and<br>new line")
    assert "<b>bold</b>" not in page
    berlin = first.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert berlin.strftime("%H:%M") in page
    assert "Europe/Berlin" in page
    assert "With Ana Ruiz" in page
    back = f'<a href="/mentorships/{talk.mentorship.public_id}/">Back to the mentorship</a>'
    assert back in page  # worded as on the goals and files pages


def test_a_web_address_in_a_message_is_a_link_and_nothing_else_is(client, talk):
    send(talk, talk.mentor, 'Agenda: https://docs.example.org/a?b=1&c=2 <a href="javascript:alert(1)">x</a>')
    send(talk, talk.mentor, 'javascript:alert(1) and www.example.org/<script> https://e.org/"onmouseover=x')
    client.force_login(talk.mentee)
    page = client.get(url(talk)).content.decode()
    assert '<a href="https://docs.example.org/a?b=1&amp;c=2" rel="nofollow">' in page
    assert '<a href="http://www.example.org/" rel="nofollow">www.example.org/</a>&lt;script&gt;' in page
    assert '<a href="https://e.org/" rel="nofollow">https://e.org/</a>&quot;onmouseover=x' in page
    assert "javascript:alert(1)" in page
    assert 'href="javascript' not in page
    assert "<script>" not in page.split('id="message-list"')[1]


def test_viewing_marks_the_thread_read(client, talk):
    newest = send(talk, talk.mentor)
    client.force_login(talk.mentee)
    client.get(url(talk))
    read = ThreadRead.objects.get(thread=talk.thread, user=talk.mentee)
    assert read.last_read_id == newest.pk
    assert read.seen_at is not None


def test_it_pages_older_messages(client, talk):
    for n in range(35):
        send(talk, talk.mentor, f"number {n:02d}")
    client.force_login(talk.mentee)
    page = client.get(url(talk)).content.decode()
    assert "number 34" in page
    assert "number 04" not in page
    match = re.search(r'href="\?before=([0-9a-f-]+)"', page)
    assert match
    older = client.get(url(talk), {"before": match.group(1)}, headers=HTMX).content.decode()
    assert "number 04" in older
    assert "number 05" not in older
    assert "Load older messages" not in older
    assert client.get(url(talk), {"before": "nonsense"}).status_code == 400


def test_the_page_costs_the_same_queries_for_10_and_300_messages(client, talk, django_assert_num_queries):
    client.force_login(talk.mentee)
    counts = []
    for total in (10, 300):
        Message.objects.bulk_create(
            Message(thread=talk.thread, author=talk.mentor, body=f"m{n}")
            for n in range(total - Message.objects.count())
        )
        client.get(url(talk))  # the read marker exists from here on
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(talk)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url(talk))
    # session, user, mentorship, its members, the access rule, thread, messages, read marker
    assert counts[0] == 8


def test_a_plain_post_sends_and_comes_back(client, talk):
    client.force_login(talk.mentee)
    response = client.post(url(talk), {"body": "  See you Tuesday  "})
    assert response.status_code == 302
    assert response["Location"] == url(talk)
    assert Message.objects.get().body == "See you Tuesday"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("", "Write a message before sending it."),
        ("x" * 1_048_576, "5,000 characters at most"),
        ("a\x00", "ull"),
    ],
)
def test_a_bad_message_is_refused_beside_the_field(client, talk, body, words):
    client.force_login(talk.mentee)
    for headers in ({}, HTMX):
        response = client.post(url(talk), {"body": body}, headers=headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="errorlist"' in html
        assert words in html
    assert not Message.objects.exists()


def test_an_htmx_send_answers_the_new_messages_and_a_fresh_form(client, talk):
    before = send(talk, talk.mentor, "Shown already")
    theirs = send(talk, talk.mentor, "Arrived meanwhile")
    client.force_login(talk.mentee)
    html = client.post(
        url(talk), {"body": "Mine", "after": str(before.public_id)}, headers=HTMX
    ).content.decode()
    assert "Shown already" not in html
    assert html.index("Arrived meanwhile") < html.index("Mine")
    assert 'hx-swap-oob="beforeend:#message-list"' in html
    assert 'id="composer"' in html
    mine = Message.objects.latest("id")
    assert f'value="{mine.public_id}"' in html  # the poller goes on after the newest
    assert str(theirs.public_id) in html


def test_the_poll_answers_only_newer_messages_or_nothing(client, talk):
    first = send(talk, talk.mentor, "first")
    client.force_login(talk.mentee)
    assert client.get(url(talk, "new/"), {"after": str(first.public_id)}, headers=HTMX).status_code == 204
    send(talk, talk.mentor, "second")
    html = client.get(url(talk, "new/"), {"after": str(first.public_id)}, headers=HTMX).content.decode()
    assert "second" in html
    assert "first" not in html
    read = ThreadRead.objects.get(thread=talk.thread, user=talk.mentee)
    assert read.last_read_id == Message.objects.latest("id").pk
    assert client.get(url(talk, "new/"), {"after": "x"}).status_code == 400


def test_the_poll_stops_after_half_an_hour_without_a_send(client, talk):
    first = send(talk, talk.mentor, "first")
    client.force_login(talk.mentee)
    long_ago = int(time.time()) - POLL_SECONDS - 5
    html = client.get(
        url(talk, "new/"), {"after": str(first.public_id), "started": long_ago}
    ).content.decode()
    assert "stopped looking for new messages" in html
    assert "hx-trigger" not in html


def test_the_navigation_counts_unread_messages(client, talk):
    send(talk, talk.mentor, "one")
    send(talk, talk.mentor, "two")
    client.force_login(talk.mentee)
    html = client.get("/messages/unread/", headers=HTMX).content.decode()
    assert "2" in html
    assert "unread messages" in html
    client.force_login(talk.mentor)
    assert "badge" not in client.get("/messages/unread/").content.decode()


def test_the_mentorship_page_has_the_messages_section(client, talk):
    for n in range(4):
        send(talk, talk.mentor, f"note {n}")
    client.force_login(talk.mentee)
    html = client.get(f"/mentorships/{talk.mentorship.public_id}/").content.decode()
    assert "note 0" not in html
    assert "note 1" in html
    assert "note 3" in html
    assert "4 unread" in html
    assert url(talk) in html
    assert html.count("/static/messaging/messaging.css") == 1  # the posts look as in the thread
    client.force_login(talk.manager)  # the program's view of the pair: never a message's text
    response = client.get(f"/mentorships/{talk.mentorship.public_id}/")
    assert response.status_code == 200
    assert not any(f"note {n}" in response.content.decode() for n in range(4))


def test_the_section_tells_others_counts_and_a_date_only(talk):
    from django.template.loader import render_to_string

    from meridian.messaging.tests.conftest import fresh_thread

    for n in range(4):
        send(talk, talk.mentor, f"note {n}")
    mentorship = fresh_thread(talk.thread).mentorship
    html = render_to_string("messaging/_section.html", {"mentorship": mentorship, "user": talk.manager})
    assert "4 messages, the last on" in html
    assert not any(f"note {n}" in html for n in range(4))
