"""Quick check-ins and unresponsive-partner reports: either member sends one with a click,
the partner reads it, the program team sees counts and dates (check-ins) and the report
addressed to them; bad input gets a reason beside the field, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.mentorships import checkins, reports
from meridian.mentorships.models import CheckIn, UnresponsiveReport
from tests.factories import UserFactory, people


def test_a_check_in_is_one_click_and_the_partner_reads_it(client, pair):
    mentor, mentee = people(pair)
    client.force_login(mentee)
    answer = client.post(
        reverse("mentorships:checkin", args=[pair.public_id]),
        {"mood": "4", "line": "Applied for the job we talked about"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert "Sent: your partner sees it here." in answer.content.decode()
    made = CheckIn.objects.get()
    assert (made.author, made.mood, made.created_at is not None) == (mentee, 4, True)
    client.force_login(mentor)
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert (
        'Ben Okafor</strong>: <span class="mood mood-4" aria-hidden="true"></span>'
        "Good — Applied for the job we talked about" in page
    )


def test_the_program_team_sees_how_many_and_when_never_the_line(client, pair):
    mentor, mentee = people(pair)
    checkins.checkin_create(mentorship=pair, user=mentee, mood=2, line="Feeling stuck at work")
    checkins.checkin_create(mentorship=pair, user=mentor, mood=5)
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "2 check-ins" in page
    assert "Feeling stuck" not in page
    assert "Not great" not in page


def test_only_current_members_check_in(pair):
    mentor, _ = people(pair)
    with pytest.raises(MeridianError, match="Only the people"):
        checkins.checkin_create(mentorship=pair, user=UserFactory(), mood=3)
    pair.members.filter(user=mentor).update(is_current=False)  # removed from the pair
    with pytest.raises(MeridianError, match="Only the people"):
        checkins.checkin_create(mentorship=pair, user=mentor, mood=3)
    assert not CheckIn.objects.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mood=st.one_of(st.integers(-5, 9).map(str), st.text(max_size=5)), line=st.text(max_size=400))
def test_any_check_in_input_is_stored_whole_or_refused_in_words(client, pair, mood, line):
    _, mentee = people(pair)
    client.force_login(mentee)
    before = CheckIn.objects.count()
    answer = client.post(
        reverse("mentorships:checkin", args=[pair.public_id]),
        {"mood": mood, "line": line},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    body = " ".join(answer.content.decode().split())
    stored = CheckIn.objects.count() - before
    assert stored in (0, 1)
    if stored:
        made = CheckIn.objects.latest("id")
        assert made.line == " ".join(line.split())
        assert 1 <= made.mood <= 5
    else:
        assert 'class="errorlist"' in body
    assert "<script" not in body.replace("<script src", "")


def test_a_report_reaches_the_program_team_with_what_was_tried(client, pair, clock):
    mentor, mentee = people(pair)
    client.force_login(mentee)
    answer = client.post(
        reverse("mentorships:report", args=[pair.public_id]),
        {"since": "2026-02-10", "tried": "Two messages and a call <b>no answer</b>"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    report = UnresponsiveReport.objects.get()
    assert (report.reporter, report.reporter_role, report.since) == (mentee, "mentee", dt.date(2026, 2, 10))
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "Reported by the Mentee on 2 Mar 2026" in page
    assert "Two messages and a call &lt;b&gt;no answer&lt;/b&gt;" in page
    client.force_login(mentor)  # the partner does not see the report
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "Two messages and a call" not in page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"since": "2026-03-09", "tried": "Called"}, "Pick a day that has passed."),
        ({"since": "2024-01-01", "tried": "Called"}, "within the last year"),
        ({"since": "2026-02-01", "tried": "   "}, "This field is required."),
        ({"since": "2026-02-01", "tried": "x" * 1001}, "at most 1000 characters"),
        ({"since": "2026-02-01", "tried": "a\x00b"}, "Null characters are not allowed."),
        ({"since": "yesterday", "tried": "Called"}, "Enter a valid date."),
    ],
)
def test_a_refused_report_says_why_beside_the_field(client, pair, data, reason):
    _, mentee = people(pair)
    client.force_login(mentee)
    answer = client.post(reverse("mentorships:report", args=[pair.public_id]), data)
    assert answer.status_code == 400
    assert reason in " ".join(answer.content.decode().split())
    assert not UnresponsiveReport.objects.exists()


def test_the_service_refuses_a_report_by_someone_outside(pair):
    with pytest.raises(MeridianError):
        reports.report_unresponsive(
            mentorship=pair, user=UserFactory(), since=dt.date(2026, 2, 1), tried="Called"
        )


def test_the_pairs_list_flags_a_reported_pair_with_its_date(client, pair):
    _, mentee = people(pair)
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    url = reverse("portal:program_pairs", args=[pair.program.public_id])
    assert "unresponsive report" not in " ".join(client.get(url).content.decode().split())
    reports.report_unresponsive(
        mentorship=pair, user=mentee, since=dt.date(2026, 2, 20), tried="Called twice"
    )
    page = " ".join(client.get(url).content.decode().split())
    assert "1 unresponsive report by the mentee, 2 Mar 2026" in page
    assert "Called twice" not in page  # the text is read on the mentorship's page
