"""A pair to talk in: Ana (mentor, London) and Ben (mentee, Berlin), and its thread."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from meridian.messaging.models import Thread
from tests.factories import UserFactory, mentoring_pair


@pytest.fixture
def talk(db: None) -> SimpleNamespace:
    manager = UserFactory(name="Pat Manager")
    mentorship = mentoring_pair(
        mentor_fields={"name": "Ana Ruiz", "time_zone": "Europe/London"},
        mentee_fields={"name": "Ben Cole", "time_zone": "Europe/Berlin"},
    )
    mentorship.program.managers.add(manager)
    people = {m.role: m.user for m in mentorship.members.select_related("user")}
    thread = Thread.objects.create(mentorship=mentorship)
    return SimpleNamespace(
        mentorship=mentorship,
        thread=thread,
        mentor=people["mentor"],
        mentee=people["mentee"],
        manager=manager,
    )


def fresh_thread(thread: Thread) -> Thread:
    """The thread as the selectors hand it out: with its mentorship's members read."""
    from meridian.messaging.selectors import get_thread_for_user

    member = thread.mentorship.members.filter(is_current=True).select_related("user").first()
    assert member is not None
    return get_thread_for_user(member.user, thread.mentorship.public_id)
