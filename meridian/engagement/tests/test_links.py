"""One-click links: signed, expiring, single use, one person's one answer."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client

from meridian.accounts.models import User
from meridian.core.errors import MeridianError
from meridian.engagement import links
from meridian.engagement.models import UsedLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
answered: list[tuple[str, str, str]] = []


def handler(*, user: User, target: str, choice: str) -> links.Answer:
    if choice == "refuse":
        raise MeridianError("That answer is not possible now.")
    answered.append((user.email, target, choice))
    return links.Answer(title="Thank you", message=f"You answered {choice}.")


@pytest.fixture(autouse=True)
def test_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(links.ACTIONS, "test", f"{__name__}.handler")
    answered.clear()


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_link_answers_once_without_signing_in(client: Client) -> None:
    person = UserFactory()
    url = links.link(person, "test", "thing-1", "yes")
    opened = client.get(_path(url))  # what a mail scanner does: nothing is answered
    assert opened.status_code == 200
    assert "data-send-on-load" in opened.content.decode()
    assert answered == []
    first = client.post(_path(url))
    assert first.status_code == 200
    assert "You answered yes." in first.content.decode()
    assert answered == [(person.email, "thing-1", "yes")]
    again = client.post(_path(url))
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    assert len(answered) == 1
    assert client.get(_path(url)).status_code == 410  # opened again: refused before any press
    assert "_auth_user_id" not in client.session  # nobody was signed in


def test_an_expired_link_is_refused_with_a_clear_page(client: Client) -> None:
    url = links.link(UserFactory(), "test", "thing-1", "yes", days=14)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)):
        answer = client.post(_path(url))
    assert answer.status_code == 410
    assert "expired" in answer.content.decode()
    assert answered == []


@pytest.mark.parametrize("damage", [lambda t: t[:-3], lambda t: t + "x", lambda t: "x" + t[1:]])
def test_a_damaged_link_is_refused(client: Client, damage: Any) -> None:
    url = links.link(UserFactory(), "test", "thing-1", "yes")
    token = url.rstrip("/").rsplit("/", 1)[1]
    answer = client.get(f"/r/{damage(token)}/")
    assert answer.status_code == 400
    assert answered == []


def test_a_refused_answer_leaves_the_link_usable(client: Client) -> None:
    person = UserFactory()
    refused = client.post(_path(links.link(person, "test", "t", "refuse")))
    assert refused.status_code == 400
    assert "not possible now" in refused.content.decode()
    assert UsedLink.objects.count() == 0


def test_an_inactive_persons_link_does_nothing(client: Client) -> None:
    person = UserFactory()
    url = links.link(person, "test", "t", "yes")
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client.post(_path(url)).status_code == 400
    assert answered == []


def test_an_unknown_action_cannot_be_linked() -> None:
    with pytest.raises(ValueError, match="unknown"):
        links.link(UserFactory(), "nothing", "t", "yes")
