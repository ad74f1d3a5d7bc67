"""What the engagement pages say to the people who read them: a pair on a declared pause is
not nudged to meet; a contact logged by the program team shows its time with the reader's
zone named; a queue card says "at risk" once and names its cohort as one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from meridian.core.models import OutboundEmail
from meridian.engagement import notices, queue
from meridian.engagement.models import (
    ContactLog,
    Escalation,
    Health,
    HealthChange,
    Pause,
    QueueItem,
    Step,
)
from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
GAP = "No meeting for 5 weeks; they agreed every 2 weeks."


def _nudged(pair: Any) -> None:
    Health.objects.create(
        mentorship=pair,
        band="check_in",
        band_since=D("2026-03-02"),
        reasons=[GAP],
        signals=["contact_gap"],
        assessed_on=D("2026-03-02"),
    )
    Escalation.objects.create(mentorship=pair, episode=1, step=Step.NUDGE)


def test_a_pair_on_a_pause_is_not_nudged_to_meet(client: Client, pair: Any) -> None:
    _mentor, mentee = people(pair)
    _nudged(pair)
    url = reverse("portal:workspace", args=[pair.public_id])
    client.force_login(mentee)
    nudged = client.get(url).content.decode()
    assert 'id="nudge-notice"' in nudged
    assert "Keeping in touch" in nudged  # the card's title, when it carries a nudge
    Pause.objects.create(mentorship=pair, starts_on=D("2026-03-01"), ends_on=D("2026-03-20"))
    page = client.get(url).content.decode()
    assert "Paused until" in page
    assert 'id="nudge-notice"' not in page
    assert GAP not in page
    assert "Keeping in touch" not in page


def test_a_logged_contact_names_the_readers_zone(client: Client, pair: Any) -> None:
    manager = UserFactory(name="Mona Manager", time_zone="America/New_York")
    pair.program.managers.add(manager)
    Health.objects.create(
        mentorship=pair,
        band="at_risk",
        score=20,
        band_since=D("2026-03-02"),
        reasons=[GAP],
        signals=["contact_gap"],
        assessed_on=D("2026-03-02"),
    )
    HealthChange.objects.create(
        mentorship=pair, on=D("2026-03-02"), old_band="check_in", new_band="at_risk", score=20, reason=GAP
    )
    queue.refresh(today=D("2026-03-02"))
    item = QueueItem.objects.get(mentorship=pair, resolved_at=None)
    ContactLog.objects.create(
        mentorship=pair,
        item=item,
        manager=manager,
        channel="call",
        outcome="left_word",
        at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC),
    )
    client.force_login(manager)
    listed = client.get(reverse("engagement:queue", args=[pair.program.public_id])).content.decode()
    assert "Call on 2 Mar, 03:00 (America/New York) by Mona Manager: Left a message" in listed
    assert listed.count('class="badge at_risk"') == 1  # the band's badge, not the item's beside it
    assert f"cohort {pair.cohort.name}" in listed
    overview = client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode()
    assert "Times in America/New York." in overview
    assert "How its health changed" in overview  # no scoring jargon ("band"), even for the team
    assert "2 Mar 2026: Needs a check-in → At risk" in overview
    assert "Call on 2 Mar 2026, 03:00 by Mona Manager" in overview


def test_the_managers_digest_names_the_zone_of_its_hour(pair: Any) -> None:
    manager = UserFactory(name="Mona Manager", time_zone="America/New_York")
    pair.program.managers.add(manager)
    Health.objects.create(
        mentorship=pair,
        band="at_risk",
        score=20,
        band_since=D("2026-03-02"),
        reasons=[GAP],
        signals=["contact_gap"],
        assessed_on=D("2026-03-02"),
    )
    queue.refresh(today=D("2026-03-02"))
    notices.deliver_due(now=dt.datetime(2026, 3, 2, 13, 5, tzinfo=dt.UTC))  # 08:05 in New York
    email = OutboundEmail.objects.get(to=[manager.email])
    ending = "You get this email on the days your queue has work in it, at 8:00 your time (America/New_York)."
    assert ending in email.body
    assert ending in email.alternatives[0][0]
