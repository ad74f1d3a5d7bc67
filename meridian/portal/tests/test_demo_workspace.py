"""The demo's printed pair opens a lived-in workspace (``manage.py seed_demo``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from meridian.mentorships.models import AgreementVersion, CheckIn, Goal, Mentorship, SharedItem
from meridian.programs.demo import demo_logins

pytestmark = pytest.mark.django_db


def test_the_printed_pair_has_an_agreement_goals_a_checkin_and_a_link(client):
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", people=60, stdout=io.StringIO(), stderr=io.StringIO())
        logins = demo_logins()
        assert logins is not None
        pair = Mentorship.objects.filter(members__user__email=logins.mentee).get(
            members__user__email=logins.mentor
        )
        assert AgreementVersion.objects.get(mentorship=pair).agreed_at is not None
        assert [g.progress for g in Goal.objects.filter(mentorship=pair).order_by("pk")] == [40, 25]
        assert CheckIn.objects.filter(mentorship=pair).count() == 1
        assert SharedItem.objects.filter(mentorship=pair, kind="link").count() == 1
        client.force_login(pair.members.get(role="mentee").user)
        page = " ".join(
            client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode().split()
        )
        assert "Agreed on 7 Dec 2026" in page
        assert "Lead the data platform migration" in page
        out = io.StringIO()
        call_command("demo_workspace", stdout=out)  # a second run adds nothing
        assert "nothing added" in out.getvalue()
        assert Goal.objects.filter(mentorship=pair).count() == 2
