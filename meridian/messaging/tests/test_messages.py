"""The thread's models, services and selectors: what is stored, who reads, what is unread."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from meridian.messaging import selectors, services
from meridian.messaging.models import MAX_BODY, Message, Thread, ThreadRead
from meridian.messaging.tests.conftest import fresh_thread
from tests.factories import UserFactory, mentoring_pair

pytestmark = pytest.mark.django_db


def send(talk, author, body="Hello"):
    return services.message_send(thread=fresh_thread(talk.thread), author=author, body=body)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Write a message"),
        ("   \n\t ", "Write a message"),
        ("a\x00b", "NUL"),
        ("x" * (MAX_BODY + 1), f"{MAX_BODY:,} characters at most"),
        ("x" * 1_048_576, "1,048,576"),
    ],
)
def test_it_refuses_bad_bodies_in_words(talk, text, words):
    with pytest.raises(ValidationError) as caught:
        send(talk, talk.mentor, text)
    assert words in " ".join(caught.value.message_dict["body"])
    assert not Message.objects.exists()


def test_it_stores_the_body_stripped_and_marks_it_read_for_its_author(talk):
    message = send(talk, talk.mentor, "  <script>alert(1)</script>\nBye  ")
    assert message.body == "<script>alert(1)</script>\nBye"
    read = ThreadRead.objects.get(thread=talk.thread, user=talk.mentor)
    assert read.last_read_id == message.pk
    assert ThreadRead.objects.get(thread=talk.thread, user=talk.mentee).last_read_id is None


def test_it_takes_a_message_of_exactly_the_limit(talk):
    assert len(send(talk, talk.mentee, "é" * MAX_BODY).body) == MAX_BODY


def test_it_refuses_a_writer_who_is_no_longer_a_member(talk):
    thread = fresh_thread(talk.thread)
    talk.mentorship.members.filter(user=talk.mentee).update(is_current=False)
    thread.mentorship = type(talk.mentorship).objects.prefetch_related("members").get(pk=talk.mentorship.pk)
    with pytest.raises(ValidationError):
        services.message_send(thread=thread, author=talk.mentee, body="Still here?")


def test_the_door_lets_current_members_alone_in(talk):
    assert selectors.get_thread_for_user(talk.mentee, talk.mentorship.public_id) == talk.thread
    admin = UserFactory(is_staff=True)
    for outsider in (talk.manager, admin, UserFactory()):
        with pytest.raises(Http404):
            selectors.get_thread_for_user(outsider, talk.mentorship.public_id)
    talk.mentorship.members.filter(user=talk.mentee).update(is_current=False)
    with pytest.raises(Http404):
        selectors.get_thread_for_user(talk.mentee, talk.mentorship.public_id)


def test_the_thread_is_made_the_first_time_a_member_opens_it(db):
    mentorship = mentoring_pair()
    member = mentorship.members.first()
    assert not Thread.objects.filter(mentorship=mentorship).exists()
    thread = selectors.get_thread_for_user(member.user, mentorship.public_id)
    assert Thread.objects.get(mentorship=mentorship) == thread
    assert selectors.get_thread_for_user(member.user, mentorship.public_id) == thread


def test_the_window_is_the_newest_oldest_first_with_older_ones_on_request(talk):
    sent = [send(talk, talk.mentor if n % 2 else talk.mentee, f"m{n}") for n in range(7)]
    window = selectors.latest(talk.thread, size=3)
    assert [m.body for m in window.messages] == ["m4", "m5", "m6"]
    assert window.has_older
    older = selectors.latest(talk.thread, before=window.messages[0].public_id, size=3)
    assert [m.body for m in older.messages] == ["m1", "m2", "m3"]
    oldest = selectors.latest(talk.thread, before=older.messages[0].public_id, size=3)
    assert [m.body for m in oldest.messages] == ["m0"]
    assert not oldest.has_older
    assert [m.body for m in selectors.newer(talk.thread, sent[4].public_id)] == ["m5", "m6"]
    assert len(selectors.newer(talk.thread, None)) == 7


def test_a_message_id_from_another_thread_shows_nothing_of_it(talk):
    other = mentoring_pair()
    stranger = other.members.first().user
    theirs = services.message_send(
        thread=selectors.get_thread_for_user(stranger, other.public_id), author=stranger, body="private"
    )
    send(talk, talk.mentor, "ours")
    assert selectors.newer(talk.thread, theirs.public_id) == []
    assert selectors.latest(talk.thread, before=theirs.public_id).messages == []


def test_unread_counts_every_thread_of_a_person_in_one_query(talk, django_assert_num_queries):
    send(talk, talk.mentee, "mine do not count, and sending reads what came before")
    send(talk, talk.mentor, "one")
    send(talk, talk.mentor, "two")
    second = mentoring_pair(mentee=talk.mentee)
    mentor2 = second.members.get(role="mentor").user
    services.message_send(
        thread=selectors.get_thread_for_user(mentor2, second.public_id), author=mentor2, body="hi"
    )
    with django_assert_num_queries(1):
        assert selectors.unread_total(talk.mentee) == 3
    assert selectors.unread_total(talk.mentor) == 0
    newest = Message.objects.filter(thread=talk.thread).latest("id")
    services.thread_mark_read(thread=talk.thread, user=talk.mentee, upto=newest.pk)
    assert selectors.unread_total(talk.mentee) == 1
    second.members.filter(user=talk.mentee).update(is_current=False)
    assert selectors.unread_total(talk.mentee) == 0


def test_the_read_marker_only_moves_forward(talk):
    first, second = send(talk, talk.mentor, "a"), send(talk, talk.mentor, "b")
    services.thread_mark_read(thread=talk.thread, user=talk.mentee, upto=second.pk)
    services.thread_mark_read(thread=talk.thread, user=talk.mentee, upto=first.pk)
    assert ThreadRead.objects.get(thread=talk.thread, user=talk.mentee).last_read_id == second.pk


def test_the_summary_shows_members_the_newest_and_others_counts_only(talk, django_assert_num_queries):
    for n in range(5):
        send(talk, talk.mentor, f"m{n}")
    mentorship = fresh_thread(talk.thread).mentorship
    with django_assert_num_queries(2):
        mine = selectors.summary(mentorship, talk.mentee)
    assert (mine.count, mine.unread) == (5, 5)
    assert [m.body for m in mine.recent] == ["m2", "m3", "m4"]
    theirs = selectors.summary(mentorship, talk.manager)
    assert (theirs.count, theirs.unread, theirs.recent) == (5, 0, [])
    assert theirs.last_at == Message.objects.latest("id").created_at


def test_a_notification_speaks_the_first_language_of_the_profile_the_site_has(talk, settings):
    from meridian.messaging.notifications import language_of

    settings.LANGUAGES = [("en", "English"), ("de", "German")]
    profile = talk.mentee.profile
    profile.languages = ["pt", "de", "en"]
    assert language_of(talk.mentee) == "de"
    profile.languages = ["pt"]
    assert language_of(talk.mentee) == settings.LANGUAGE_CODE
