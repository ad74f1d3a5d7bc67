"""Rules of engagement: proposed, accepted by each member, a change needs everyone again,
versions kept; pre-filled from the program's template and the pair's shared hours, shown
on each member's clock; the agreed recording answer pre-fills meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from meridian.core.errors import Conflict, MeridianError
from meridian.mentorships import agreement, weekly
from meridian.mentorships.models import AgreementAcceptance, AgreementTemplate, AgreementVersion
from tests.factories import UserFactory, people

AVAILABILITY = {
    "mentor": {"profile__availability": "Mon 09:00-17:00; Tue 09:00-17:00"},  # London
    "mentee": {"profile__availability": "Mon 14:00-20:00"},  # Kathmandu, 5:45 ahead in March
}


def terms(**changes: Any) -> dict[str, Any]:
    base = {
        "meeting_times": "Mon 09:00-10:00",
        "times_zone": "Europe/London",
        "mentor_replies_within": 48,
        "mentee_replies_within": 24,
        "meeting_minutes": 45,
        "every_weeks": 2,
        "channels": "Video, chat",
        "fallback": "Phone",
        "confidentiality": "What we say stays between us.",
        "may_record": False,
    }
    return base | changes


def test_a_proposal_is_the_proposers_acceptance_and_the_partner_agrees_it(pair):
    mentor, mentee = people(pair)
    version = agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms())
    assert version.number == 1
    assert version.agreed_at is None
    assert list(version.acceptances.values_list("user_id", flat=True)) == [mentor.pk]
    agreed = agreement.agreement_accept(mentorship=pair, user=mentee, number=1)
    assert agreed.agreed_at is not None
    with pytest.raises(MeridianError, match="already accepted"):
        agreement.agreement_accept(mentorship=pair, user=mentee, number=1)


def test_a_change_needs_everyone_again_and_the_versions_are_kept(pair):
    mentor, mentee = people(pair)
    agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms())
    agreement.agreement_accept(mentorship=pair, user=mentee, number=1)
    changed = agreement.agreement_propose(mentorship=pair, user=mentee, terms=terms(every_weeks=4), seen=1)
    assert changed.number == 2
    assert changed.agreed_at is None
    state = agreement.state_for(pair, mentor, list(pair.members.all()))
    assert state.state == "waiting"
    assert [u.pk for u in state.waiting_for] == [mentor.pk]
    assert state.agreed is not None
    assert state.agreed.number == 1  # the old version holds until the change is accepted
    agreement.agreement_accept(mentorship=pair, user=mentor, number=2)
    assert AgreementVersion.objects.filter(mentorship=pair).count() == 2
    state = agreement.state_for(pair, mentor, list(pair.members.all()))
    assert state.state == "agreed"
    assert state.agreed is not None
    assert state.agreed.number == 2


def test_an_accept_of_a_version_no_longer_the_latest_is_refused(pair):
    mentor, mentee = people(pair)
    agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms())
    agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms(meeting_minutes=60), seen=1)
    with pytest.raises(Conflict):
        agreement.agreement_accept(mentorship=pair, user=mentee, number=1)
    with pytest.raises(Conflict):  # proposing over a version one has not read
        agreement.agreement_propose(mentorship=pair, user=mentee, terms=terms(), seen=1)
    assert AgreementAcceptance.objects.filter(user=mentee).count() == 0


def test_outsiders_and_managers_neither_propose_nor_accept(pair):
    mentor, _ = people(pair)
    manager = pair.program.managers.first() or mentor  # a program from the factory may have none
    stranger = UserFactory()
    for person in {stranger, manager} - {mentor}:
        with pytest.raises(MeridianError, match="Only the people"):
            agreement.agreement_propose(mentorship=pair, user=person, terms=terms())
    assert not AgreementVersion.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("meeting_times", "Someday 9-5", "expected a window"),
        ("times_zone", "Mars/Olympus", "time zone"),
        ("meeting_minutes", 5, "15 to 240"),
        ("every_weeks", 3, "1, 2 or 4"),
        ("confidentiality", "x" * 2001, "2000 characters"),
        ("channels", "a\x00b", "cannot be stored"),
    ],
)
def test_bad_terms_are_refused_by_field_and_nothing_is_written(pair, field, value, reason):
    mentor, _ = people(pair)
    with pytest.raises(MeridianError, match=reason) as raised:
        agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms(**{field: value}))
    assert raised.value.field == field
    assert not AgreementVersion.objects.exists()


@pytest.mark.pair(**AVAILABILITY)
def test_the_first_draft_is_the_templates_with_the_shared_hours_on_the_proposers_clock(pair):
    mentor, mentee = people(pair)
    AgreementTemplate.objects.create(program=pair.program, every_weeks=4, confidentiality="Chatham House")
    draft = agreement.first_draft(pair, mentor, list(pair.members.all()))
    assert draft["every_weeks"] == 4
    assert draft["confidentiality"] == "Chatham House"
    # Kathmandu's Mon 14:00-20:00 is London's 08:15-14:15; the mentor is free from 09:00
    assert (draft["meeting_times"], draft["times_zone"]) == ("Mon 09:00-14:15", "Europe/London")
    mentee_draft = agreement.first_draft(pair, mentee, list(pair.members.all()))
    assert (mentee_draft["meeting_times"], mentee_draft["times_zone"]) == (
        "Mon 14:45-20:00",
        "Asia/Kathmandu",
    )


def test_weekly_windows_move_across_midnight_and_the_week():
    monday = dt.date(2026, 2, 2)  # no clock change within a week either side
    assert weekly.on_clock("Mon 01:00-03:00", "Asia/Tokyo", "America/New_York", monday) == ["Sun 11:00–13:00"]
    # the week of New York's change: the Sunday kept is the next week's, an hour later there
    assert weekly.on_clock("Mon 01:00-03:00", "Asia/Tokyo", "America/New_York", dt.date(2026, 3, 2)) == [
        "Sun 12:00–14:00"
    ]
    assert weekly.on_clock("Mon 20:00-23:00", "Europe/London", "Asia/Tokyo", monday) == ["Tue 05:00–08:00"]
    assert weekly.shared_hours([("Mon 09:00-10:00", "UTC"), ("Tue 09:00-10:00", "UTC")], "UTC", monday) == ""
    assert weekly.shared_hours([("not a window", "UTC")], "UTC", monday) == ""


def test_the_agreed_recording_answer_is_the_default_and_a_pending_change_is_not(pair):
    mentor, mentee = people(pair)
    assert agreement.recording_default(pair.pk) is False
    agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms(may_record=True))
    assert agreement.recording_default(pair.pk) is False  # proposed, not yet agreed
    agreement.agreement_accept(mentorship=pair, user=mentee, number=1)
    assert agreement.recording_default(pair.pk) is True
    agreement.agreement_propose(mentorship=pair, user=mentee, terms=terms(may_record=False), seen=1)
    assert agreement.recording_default(pair.pk) is True  # the agreed version holds


# ---------------------------------------------------------------- the pages


def form_data(**changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in terms(**changes).items() if k != "may_record"}
    if changes.get("may_record"):
        data["may_record"] = "on"
    return data


@pytest.mark.pair(**AVAILABILITY)
def test_the_page_proposes_and_accepts_and_shows_each_members_clock(client, pair):
    mentor, mentee = people(pair)
    client.force_login(mentor)
    page = " ".join(
        client.get(reverse("mentorships:agreement", args=[pair.public_id])).content.decode().split()
    )
    assert 'value="Mon 09:00-14:15"' in page  # pre-filled from the shared hours
    answer = client.post(reverse("mentorships:agreement_propose", args=[pair.public_id]), form_data())
    assert answer.status_code == 302
    client.force_login(mentee)
    page = " ".join(
        client.get(reverse("mentorships:agreement", args=[pair.public_id])).content.decode().split()
    )
    assert "Your time (Asia/Kathmandu): Mon 14:45–15:45" in page
    assert "Ana Ruiz (Europe/London): Mon 09:00–10:00" in page
    assert "Waiting for Ben Okafor" in page
    client.post(reverse("mentorships:agreement_accept", args=[pair.public_id]), {"number": "1"})
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "Agreed on 2 Mar 2026." in page


def test_refused_terms_come_back_beside_the_field_with_htmx(client, pair):
    mentor, _ = people(pair)
    client.force_login(mentor)
    answer = client.post(
        reverse("mentorships:agreement_propose", args=[pair.public_id]),
        form_data(meeting_times="<script>alert(1)</script>"),
        headers={"HX-Request": "true"},
    )
    body = " ".join(answer.content.decode().split())
    assert answer.status_code == 200
    assert 'id="id_meeting_times_error"' in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body
    assert not AgreementVersion.objects.exists()


def test_the_program_team_sees_the_state_not_the_terms(client, pair):
    mentor, _ = people(pair)

    manager = UserFactory()
    pair.program.managers.add(manager)
    agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms(confidentiality="Secret sauce"))
    client.force_login(manager)
    page = " ".join(client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split())
    assert "A change is waiting for" in page
    assert "Secret sauce" not in page
    assert client.get(reverse("mentorships:agreement", args=[pair.public_id])).status_code == 404


def test_the_programs_managers_set_the_template(client, pair):
    manager = UserFactory()
    pair.program.managers.add(manager)
    client.force_login(manager)
    url = reverse("mentorships:agreement_template", args=[pair.program.public_id])
    data = {
        k: v
        for k, v in form_data(every_weeks=1, confidentiality="Ours").items()
        if k not in ("meeting_times", "times_zone")
    }
    assert client.post(url, data).status_code == 302
    template = AgreementTemplate.objects.get(program=pair.program)
    assert (template.every_weeks, template.confidentiality) == (1, "Ours")
    bad = client.post(url, data | {"meeting_minutes": "9999"})
    assert bad.status_code == 400
    assert "Ensure this value is less than or equal to 240." in bad.content.decode()


def test_without_a_template_the_programs_meeting_length_and_cadence_are_the_default(pair):
    pair.program.meeting_minutes, pair.program.cadence_weeks = 60, 4
    pair.program.save()
    found = agreement.template_terms(pair.program)
    assert (found["meeting_minutes"], found["every_weeks"], found["may_record"]) == (60, 4, False)


@pytest.mark.parametrize("versions", [1, 6])
def test_the_agreement_page_costs_the_same_queries_for_one_version_or_many(
    client, pair, versions, django_assert_num_queries
):
    mentor, mentee = people(pair)
    for n in range(1, versions + 1):
        by = mentor if n % 2 else mentee
        agreement.agreement_propose(
            mentorship=pair, user=by, terms=terms(meeting_minutes=30 + n), seen=n - 1 or None
        )
    client.force_login(mentor)
    url = reverse("mentorships:agreement", args=[pair.public_id])
    client.get(url)  # warm the session
    # session, user, the mentorship and its members, may see it, in the pair (the door and
    # the section), takes part, the versions with proposers, their acceptances, the draft's base
    with django_assert_num_queries(AGREEMENT_PAGE):
        assert client.get(url).status_code == 200


AGREEMENT_PAGE = 11


def test_the_partner_is_asked_by_email_to_accept_each_version(
    pair, smtp_server, django_capture_on_commit_callbacks
):
    mentor, mentee = people(pair)
    with django_capture_on_commit_callbacks(execute=True):
        agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms())
    sent = smtp_server.messages()
    assert [m["To"] for m in sent] == [mentee.email]
    assert "Ana Ruiz proposes how you will work together" in sent[0]["Subject"]
    body = sent[0].get_body(("plain",)).get_content()
    assert f"/mentorships/{pair.public_id}/agreement/" in body
    agreement.agreement_accept(mentorship=pair, user=mentee, number=1)
    with django_capture_on_commit_callbacks(execute=True):
        agreement.agreement_propose(mentorship=pair, user=mentee, terms=terms(every_weeks=4), seen=1)
    sent = smtp_server.messages()
    assert [m["To"] for m in sent] == [mentee.email, mentor.email]
    assert "version 2" in sent[1].get_body(("plain",)).get_content()
