"""People who left out their availability, languages or skills: never proposed past a rule
that cannot be checked, never explained by what they left out, listed in the quality
report, and matched on what they have only when the manager lets them in."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core import mail
from django.urls import reverse

from matching_engine.demo import generate_cohort
from matching_engine.model import Participant
from meridian.matching import adapter
from meridian.matching.forms import RunSettingsForm
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import _own_ids
from meridian.programs.importing import participants_import
from tests.factories import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SEED = 31


def _blank(person: Participant) -> Participant:
    """The issue's participant: no availability, no skills, no languages."""
    return replace(person, availability=(), skills_wanted=(), skills_offered=(), languages=())


def cohort_with_an_empty_profile(manager):
    cohort = CohortFactory(program=ProgramFactory(managers=[manager]), status="running")
    people = [_own_ids(p, SEED) for p in generate_cohort(17, 6, seed=SEED, capacity=(6, 6))]
    first = next(i for i, p in enumerate(people) if p.role == "mentee")
    people[first] = _blank(people[first])
    report = participants_import(cohort=cohort, people=people, actor=manager)
    assert report.ok, report.errors[:3]
    cohort.enrollments.update(status="approved")
    empty = cohort.enrollments.get(user__email=people[first].email)
    assert empty.role == "mentee"
    return cohort, empty


def _run(cohort, manager, **constraints) -> MatchRun:
    settings = adapter.default_settings(cohort)
    settings["constraints"].update(constraints)
    run = run_start(cohort=cohort, actor=manager, settings=settings)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


def test_an_empty_profile_is_not_proposed_and_the_report_says_what_is_missing(manager, client):
    cohort, empty = cohort_with_an_empty_profile(manager)
    run = _run(cohort, manager)  # at least 1 h shared and a common language: on
    assert not run.proposals.filter(mentee=empty).exists()  # was proposed with 0.50, second best
    (gap,) = [g for g in run.report["incomplete"] if g["person_id"] == str(empty.user_id)]
    assert gap["missing"][:3] == ["availability", "languages", "skills"]
    assert gap["rules"] == ["at least 1 h shared a week", "a common language"]
    assert not gap["matched"]
    assert not gap["let_in"]
    assert "no availability given" in gap["reason"]
    client.force_login(manager)
    page = client.get(reverse("matching:run", args=[run.public_id])).content.decode()
    assert "incomplete profile" in page
    assert "availability; languages; skills" in page
    assert "at least 1 h shared a week; a common language" in page
    assert "#id_allow_all_incomplete" in page


def test_the_manager_lets_incomplete_profiles_in_and_no_reason_is_missing_data(manager):
    cohort, empty = cohort_with_an_empty_profile(manager)
    run = _run(cohort, manager, allow_all_incomplete=True)
    proposal = run.proposals.filter(mentee=empty).first()
    gap = next(g for g in run.report["incomplete"] if g["person_id"] == str(empty.user_id))
    assert proposal is not None
    assert gap["let_in"]
    assert gap["matched"]
    scores = sorted(run.proposals.values_list("score", flat=True))
    assert proposal.score < scores[len(scores) // 2]  # was 0.50, second best of 18
    assert proposal.evidence["skills"].endswith("so this counted 0")
    for p in run.proposals.all():
        assert "counted 0" not in p.summary
        assert "listed no" not in p.summary
        assert " gave no " not in p.summary
    run_publish(run=run, actor=manager)
    for message in mail.outbox:
        assert "listed no skills" not in message.body
        assert "counted 0" not in message.body


def test_the_settings_form_carries_the_choice_to_the_engine(manager, client):
    cohort, _ = cohort_with_an_empty_profile(manager)
    data = {
        **{f"w_{k}": v for k, v in adapter.default_settings(cohort)["weights"].items()},
        "min_shared_hours": "1",
        "require_common_language": "on",
        "allow_all_incomplete": "on",
        "mode": "optimal",
        "objective": "score",
    }
    form = RunSettingsForm(data)
    assert form.is_valid(), form.errors
    settings = form.settings()
    assert settings["constraints"]["allow_all_incomplete"] is True
    assert adapter.engine_settings(settings).constraints.lets_in("anyone")
    off = RunSettingsForm({k: v for k, v in data.items() if k != "allow_all_incomplete"})
    assert off.is_valid()
    assert not adapter.engine_settings(off.settings()).constraints.lets_in("anyone")
    client.force_login(manager)
    page = client.get(reverse("matching:cohort", args=[cohort.public_id])).content.decode()
    assert 'name="allow_all_incomplete"' in page
    assert client.post(reverse("matching:cohort", args=[cohort.public_id]), data).status_code == 302
    assert MatchRun.objects.get(cohort=cohort).settings["constraints"]["allow_all_incomplete"] is True
