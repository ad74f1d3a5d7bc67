"""Pauses declared by the pair, the pause card on the relationship's page (with the ladder's
standing nudge and proposed closure) and the program's ladder settings page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meridian.engagement import ladder, pauses
from meridian.engagement.ladder import advance
from meridian.engagement.models import Escalation, Health, LadderSettings, Notice, Pause, Step
from meridian.mentorships.models import CheckIn
from tests.factories import UserFactory, people

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
D = dt.date.fromisoformat


def _post(client: Client, pair: Any, starts: dt.date, ends: dt.date, reason: str = "") -> Any:
    url = reverse("engagement:pause_create", args=[pair.public_id])
    data = {"starts_on": starts.isoformat(), "ends_on": ends.isoformat(), "reason": reason}
    return client.post(url, data, headers=HTMX)


def _error_of(html: str, field: str) -> str:
    """The error shown with ``field`` (Django's form rendering puts it right before the input)."""
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize(
    ("starts", "ends", "field", "words"),
    [
        ("2026-03-05", "2026-03-04", "ends_on", "end after it starts"),
        ("2026-03-05", "2026-03-05", "ends_on", "end after it starts"),
        ("2026-03-01", "2026-03-10", "starts_on", "cannot begin in the past"),
        ("2026-03-05", "2026-06-06", "ends_on", "at most three months: end it by 5 June 2026"),
    ],
)
def test_a_bad_pause_is_refused_next_to_its_field(client, pair, starts, ends, field, words) -> None:
    _mentor, mentee = people(pair)
    client.force_login(mentee)
    answer = _post(client, pair, D(starts), D(ends))
    assert answer.status_code == 200
    assert words in _error_of(answer.content.decode(), field)
    assert not Pause.objects.exists()


def test_a_pause_that_overlaps_another_is_refused(client, pair) -> None:
    mentor, mentee = people(pair)
    pauses.pause_declare(mentorship=pair, user=mentor, starts_on=D("2026-03-10"), ends_on=D("2026-03-20"))
    client.force_login(mentee)
    answer = _post(client, pair, D("2026-03-20"), D("2026-03-25"))
    assert "overlaps the pause from 10 March to 20 March" in _error_of(answer.content.decode(), "starts_on")
    assert Pause.objects.count() == 1
    assert _post(client, pair, D("2026-03-21"), D("2026-03-25")).status_code == 200
    assert Pause.objects.count() == 2


def test_a_pause_is_seen_by_the_partner_and_the_program_team(client, pair) -> None:
    mentor, mentee = people(pair)
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(mentee)
    answer = _post(client, pair, D("2026-03-02"), D("2026-03-16"), reason="Holiday")
    assert "Paused until Monday 16 March 2026 (included)." in answer.content.decode()
    pause = Pause.objects.get()
    assert (pause.declared_by, pause.reason) == (mentee, "Holiday")
    for viewer, writes in ((mentor, True), (manager, False)):
        client.force_login(viewer)
        page = client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode()
        assert "Paused until Monday 16 March 2026" in page
        assert "“Holiday”" in page
        assert (reverse("engagement:pause_end", args=[pause.public_id]) in page) is writes


def test_a_running_pause_ends_early_and_one_to_come_is_cancelled(client, pair, clock) -> None:
    _mentor, mentee = people(pair)
    running = Pause.objects.create(mentorship=pair, starts_on=D("2026-02-25"), ends_on=D("2026-03-20"))
    later = Pause.objects.create(mentorship=pair, starts_on=D("2026-04-01"), ends_on=D("2026-04-10"))
    client.force_login(mentee)
    answer = client.post(reverse("engagement:pause_end", args=[running.public_id]), headers=HTMX)
    assert "welcome back" in answer.content.decode()
    running.refresh_from_db()
    assert running.ends_on == D("2026-03-01")  # back today
    client.post(reverse("engagement:pause_end", args=[later.public_id]), headers=HTMX)
    assert list(Pause.objects.all()) == [running]
    with pytest.raises(Exception, match="over already"):
        pauses.pause_end(pause=running, user=mentee)


def test_declaring_a_pause_withdraws_a_proposed_closure(pair, clock) -> None:
    mentor, _mentee = people(pair)
    proposal = Escalation.objects.create(
        mentorship=pair, episode=1, step=Step.CLOSURE, due_on=D("2026-03-09")
    )
    pauses.pause_declare(mentorship=pair, user=mentor, starts_on=D("2026-03-02"), ends_on=D("2026-03-30"))
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None


def test_months_after_keeps_the_day_or_takes_the_months_last() -> None:
    assert pauses.months_after(D("2026-03-05"), 3) == D("2026-06-05")
    assert pauses.months_after(D("2026-11-30"), 3) == D("2027-02-28")


def test_the_pair_sees_its_nudge_and_answers_still_going_from_the_page(client, pair) -> None:
    mentor, mentee = people(pair)
    manager = UserFactory()
    pair.program.managers.add(manager)
    Health.objects.create(
        mentorship=pair,
        band="check_in",
        band_since=D("2026-03-02"),
        reasons=["No meeting for 5 weeks; they agreed every 2 weeks."],
        signals=["contact_gap"],
        assessed_on=D("2026-03-02"),
    )
    Escalation.objects.create(mentorship=pair, episode=1, step=Step.NUDGE)
    url = reverse("portal:workspace", args=[pair.public_id])
    client.force_login(mentee)
    page = client.get(url).content.decode()
    assert "You haven&#x27;t had your first meeting yet: your mentorship started on 2 March." in page
    assert "No meeting for 5 weeks" not in page  # the manager's reason
    client.force_login(manager)
    assert 'id="nudge-notice"' not in client.get(url).content.decode()  # the pair's own
    proposal = Escalation.objects.create(
        mentorship=pair, episode=1, step=Step.CLOSURE, due_on=D("2026-03-09")
    )
    client.force_login(mentor)
    assert "closes on Monday 9 March" in client.get(url).content.decode()
    answer = client.post(reverse("engagement:still_going", args=[pair.public_id]), headers=HTMX)
    assert "stays open" in answer.content.decode()
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None
    assert CheckIn.objects.filter(mentorship=pair, author=mentor).exists()
    assert "closes on" not in client.get(url).content.decode()


def test_managers_set_the_ladder_and_the_sweep_follows_it(client, pair, clock) -> None:
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    url = reverse("engagement:ladder_settings", args=[pair.program.public_id])
    page = client.get(url).content.decode()
    assert "default 90" in page
    assert 'name="closure_after_days" value="90"' in page
    bad = client.post(
        url,
        {
            "closure_after_days": "5",
            "first_reminder_hours": "24",
            "second_reminder_hours": "1",
            "monthly_email_cap": "4",
            "last_nudge_days": "7",
            "alert_after_days": "7",
            "rematch_unresponsive_days": "21",
            "closure_notice_days": "7",
        },
    )
    assert bad.status_code == 400
    assert "greater than or equal to 30" in _error_of(bad.content.decode(), "closure_after_days")
    assert not LadderSettings.objects.exists()
    data = {
        "alerts": "on",
        "first_reminder_hours": "12",
        "second_reminder_hours": "0",
        "monthly_email_cap": "6",
        "last_nudge_days": "3",
        "alert_after_days": "7",
        "rematch_unresponsive_days": "21",
        "closure_after_days": "90",
        "closure_notice_days": "7",
    }  # nudges off
    assert client.post(url, data).status_code == 302
    saved = LadderSettings.objects.get(program=pair.program)
    assert (saved.nudges, saved.last_nudge_days, saved.alerts) == (False, 3, True)
    assert (saved.first_reminder_hours, saved.second_reminder_hours, saved.monthly_email_cap) == (12, 0, 6)
    assert (saved.pulse, saved.standing_contacts) == (False, False)
    Health.objects.create(
        mentorship=pair, band="at_risk", band_since=D("2026-03-02"), assessed_on=D("2026-03-02")
    )
    done = advance(today=D("2026-03-02"))
    assert (done["nudge"], done["alert"]) == (0, 1)
    assert not Notice.objects.filter(kind="nudge").exists()
    assert ladder.settings_for([pair.program.pk])[pair.program.pk].pk == saved.pk


def test_strangers_cannot_pause_or_end_a_pause(client, pair) -> None:
    stranger = UserFactory()
    pause = Pause.objects.create(mentorship=pair, starts_on=D("2026-03-10"), ends_on=D("2026-03-20"))
    client.force_login(stranger)
    assert _post(client, pair, D("2026-03-22"), D("2026-03-25")).status_code == 404
    assert client.post(reverse("engagement:pause_end", args=[pause.public_id])).status_code == 404
    assert Pause.objects.count() == 1
    assert timezone.localdate() == D("2026-03-02")


def test_the_api_declares_lists_and_ends_a_pause(client, pair) -> None:
    mentor, mentee = people(pair)
    client.force_login(mentee)
    url = f"/api/v1/mentorships/{pair.public_id}/pauses/"
    bad = client.post(
        url, {"starts_on": "2026-03-10", "ends_on": "2026-03-09"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "end after it starts" in str(bad.json()["error"]["fields"]["ends_on"])
    made = client.post(
        url,
        {"starts_on": "2026-03-02", "ends_on": "2026-03-09", "reason": "Leave"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert (made.json()["reason"], made.json()["declared_by"]) == ("Leave", str(mentee.public_id))
    client.force_login(mentor)
    assert [p["id"] for p in client.get(url).json()] == [made.json()["id"]]
    ended = client.post(f"/api/v1/pauses/{made.json()['id']}/end/")
    assert ended.status_code == 204  # it began today: removed
    assert client.get(url).json() == []
