"""'May this run be published' is one rule (MatchRun.is_editable): the review page offers
Publish exactly when the service would publish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meridian.core.errors import MeridianError
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services.publishing import run_publish
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Mentorship
from tests.factories import match_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED, RunStatus.DONE])
def test_the_page_offers_publish_exactly_when_the_service_publishes(client, manager, status):
    run = match_run(demo_cohort(manager, mentees=4, mentors=2), manager)
    MatchRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    client.force_login(manager)
    page = client.get(reverse("matching:run", args=[run.public_id])).content.decode()
    offered = reverse("matching:publish", args=[run.public_id]) in page
    assert offered == run.is_editable == (status == RunStatus.DONE)
    if offered:
        run_publish(run=run, actor=manager, notify=False)
        run.refresh_from_db()
        assert run.status == RunStatus.PUBLISHED
    else:
        with pytest.raises(MeridianError, match="can no longer be changed"):
            run_publish(run=run, actor=manager, notify=False)
        assert not Mentorship.objects.exists()
