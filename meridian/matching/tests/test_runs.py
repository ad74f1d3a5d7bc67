"""Running matching over a cohort, reviewing the proposals, publishing them."""

from __future__ import annotations

import pytest
from django.core import mail

from meridian.core.errors import MeridianError
from meridian.matching import adapter, editing
from meridian.matching.models import Exclusion, MatchRun, RunStatus
from meridian.matching.services import publishing
from meridian.matching.services import runs as runs_services
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.review import proposal_exclude, proposal_lock_toggle, proposal_swap
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort
from meridian.mentorships.models import Member, Mentorship

pytestmark = pytest.mark.django_db


def _run(cohort, manager, **changes) -> MatchRun:
    settings = adapter.default_settings(cohort)
    settings.update(changes)
    return run_start(cohort=cohort, actor=manager, settings=settings)


def test_a_run_proposes_pairs_within_capacity_and_explains_each(matched_cohort, manager):
    run = _run(matched_cohort, manager)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.matched == run.proposals.count() > 0
    room = adapter.mentor_room(matched_cohort)
    for mentor_id, taken in _load(run).items():
        assert taken <= room[mentor_id]
    for p in run.proposals.all():
        assert p.summary
        assert set(p.components) == {
            "values",
            "skills",
            "hours",
            "languages",
            "seniority",
            "channels",
        }
    assert run.report["certificate"]["proven"] is True
    assert run.total == pytest.approx(sum(p.score for p in run.proposals.all()), rel=1e-5)


def _load(run):
    load: dict[int, int] = {}
    for mentor_id in run.proposals.values_list("mentor_id", flat=True):
        load[mentor_id] = load.get(mentor_id, 0) + 1
    return load


def test_stable_mode_leaves_no_blocking_pair(matched_cohort, manager):
    run = _run(matched_cohort, manager, mode="stable")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.report["blocking_pairs"] == 0
    assert run.report["mode"] == "stable"


def test_reporting_lines_are_never_paired_even_through_people_outside_the_cohort(manager):
    cohort = demo_cohort(manager, mentees=10, mentors=4)
    mentee = cohort.enrollments.filter(role="mentee").first()
    mentor = cohort.enrollments.filter(role="mentor").first()
    outsider = user_reporting_to(mentor.user)
    mentee.user.profile.manager = outsider
    mentee.user.profile.save()
    cp = adapter.build(cohort, adapter.default_settings(cohort))
    i, j = cp.mentee_index(mentee.pk), cp.mentor_index(mentor.pk)
    assert i is not None
    assert j is not None
    assert not cp.problem.pair(i, j).allowed
    assert "reporting line" in (cp.problem.forbidden_reason(i, j) or "")


def user_reporting_to(boss):
    from tests.factories import UserFactory

    user = UserFactory()
    user.profile.manager = boss
    user.profile.save()
    return user


def test_exclusions_and_locks_carry_into_a_rerun(matched_cohort, manager):
    run = _run(matched_cohort, manager)
    first, second = list(run.proposals.all()[:2])
    proposal_lock_toggle(proposal=first)
    proposal_exclude(proposal=second, actor=manager, reason="they already work together")
    assert Exclusion.objects.filter(mentee=second.mentee, mentor=second.mentor).exists()
    rerun = run_start(cohort=matched_cohort, actor=manager, settings=run.settings, based_on=run)
    rerun.refresh_from_db()
    assert rerun.status == RunStatus.DONE
    assert rerun.proposals.filter(mentee=first.mentee, mentor=first.mentor, locked=True).exists()
    assert not rerun.proposals.filter(mentee=second.mentee, mentor=second.mentor).exists()


def test_a_rerun_keeps_the_locks_that_still_fit_and_drops_one_whose_mentor_has_no_room(
    matched_cohort, manager
):
    run = _run(matched_cohort, manager)
    mentor_id = next(m for m, n in _load(run).items() if n >= 2)
    first, second = run.proposals.filter(mentor_id=mentor_id).order_by("-score", "pk")[:2]  # best first
    proposal_lock_toggle(proposal=first)
    proposal_lock_toggle(proposal=second)
    first.mentor.capacity = 1  # the mentor now offers one place: the two locks no longer fit
    first.mentor.save(update_fields=["capacity"])
    rerun = run_start(cohort=matched_cohort, actor=manager, settings=run.settings, based_on=run)
    rerun.refresh_from_db()
    assert rerun.status == RunStatus.DONE, rerun.error
    assert rerun.proposals.filter(mentor_id=mentor_id).count() == 1
    assert rerun.proposals.filter(mentee=first.mentee, mentor_id=mentor_id, locked=True).exists()
    assert not rerun.proposals.filter(mentee=second.mentee, mentor_id=mentor_id).exists()


def test_a_runs_words_name_the_mentees_zone_for_the_managers_who_read_them(matched_cohort, manager):
    run = _run(matched_cohort, manager)
    shown = 0
    for p in run.proposals.select_related("mentee__user"):
        city = p.mentee.user.time_zone.rsplit("/", 1)[-1].replace("_", " ")
        assert "your time" not in p.summary
        assert "your time" not in p.evidence["hours"]
        if " a week: " in p.evidence["hours"]:
            assert f" {city} time" in p.evidence["hours"]
            shown += 1
    assert shown > 0


def test_swap_and_move_report_their_cost_and_keep_the_rules(matched_cohort, manager):
    run = _run(matched_cohort, manager)
    run.refresh_from_db()
    pairs = list(run.proposals.order_by("pk"))
    a, b = next((x, y) for x in pairs for y in pairs if x.mentor_id != y.mentor_id)
    try:
        change = proposal_swap(first=a, second=b)
    except MeridianError as exc:
        assert "cannot be matched" in str(exc)  # noqa: PT017
    else:
        assert change.optimum == pytest.approx(run.optimum)
        assert change.after <= change.optimum + 1e-6  # the engine's total is optimal
        a.refresh_from_db()
        assert a.edited


def test_why_not_names_the_constraint_or_the_cost(matched_cohort, manager):
    run = _run(matched_cohort, manager)
    run.refresh_from_db()
    p = run.proposals.first()
    assert p is not None
    mentors = matched_cohort.enrollments.filter(role="mentor").exclude(pk=p.mentor_id)
    answers = [editing.why_not(run=run, mentee=p.mentee, mentor=m) for m in mentors]
    for answer in answers:
        assert answer.forbidden or answer.blocked or answer.change is not None
        if answer.change is not None:  # the engine's total is optimal: no move raises it
            assert answer.change.delta <= 1e-6
            assert answer.change.moves[0].after is not None


def test_publishing_starts_mentorships_once_and_introduces_everyone(
    matched_cohort, manager, django_capture_on_commit_callbacks
):
    run = _run(matched_cohort, manager)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        done = run_publish(run=run, actor=manager)
    assert done.mentees == run.matched
    assert Mentorship.objects.filter(cohort=matched_cohort).count() == done.mentorships
    assert len(mail.outbox) == done.mentorships * 2
    intro = mail.outbox[0]
    assert "Meet your" in intro.subject
    assert "Why you were matched" in intro.body
    again = run_publish(run=run, actor=manager)
    assert again.mentees == 0
    second = _run(matched_cohort, manager)
    second.refresh_from_db()
    assert second.status in (RunStatus.FAILED, RunStatus.DONE)  # everyone matched, or the rest
    assert Member.objects.filter(role="mentee", is_current=True).values("enrollment").distinct().count() == (
        Member.objects.filter(role="mentee", is_current=True).count()
    )


def test_a_cohort_without_mentees_fails_in_words(manager):
    cohort = demo_cohort(manager, mentees=0, mentors=3)
    run = _run(cohort, manager)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "no approved mentees" in run.error


def test_a_large_run_is_queued_as_a_job_and_shows_its_progress(
    client, matched_cohort, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(runs_services, "IN_REQUEST_PAIRS", 10)  # this cohort counts as large
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = _run(matched_cohort, manager)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    assert len(callbacks) == 1
    client.force_login(manager)
    waiting = client.get(f"/runs/{run.public_id}/progress/")
    assert b"Waiting for a worker" in waiting.content
    assert "HX-Refresh" not in waiting
    assert b'hx-trigger="every 1s"' in client.get(f"/runs/{run.public_id}/").content
    callbacks[0]()  # the job: the test settings run tasks at once
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.matched > 0
    finished = client.get(f"/runs/{run.public_id}/progress/")
    assert finished["HX-Refresh"] == "true"
    from meridian.matching.tasks import run_matching

    run_matching.call(run.pk)  # delivered twice: left alone
    assert MatchRun.objects.get(pk=run.pk).matched == run.matched


def test_large_publications_introduce_by_job_and_each_member_once(
    matched_cohort, manager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(publishing, "IN_REQUEST_INTRODUCTIONS", 0)  # every publication is "large"
    run = _run(matched_cohort, manager)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = run_publish(run=run, actor=manager)
    assert len(callbacks) == 1
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the job (the test settings run tasks at once); its emails leave at commit
    assert len(mail.outbox) == done.mentorships * 2
    from meridian.matching.introductions import send_introductions

    ids = list(Mentorship.objects.filter(cohort=matched_cohort).values_list("pk", flat=True))
    assert send_introductions(run.pk, ids) == 0  # delivered twice: nobody hears twice
    assert len(mail.outbox) == done.mentorships * 2
    assert not Member.objects.filter(introduced_at=None).exists()


def test_a_publication_racing_another_is_refused_in_words(client, matched_cohort, manager, monkeypatch):
    from meridian.core.errors import Conflict
    from meridian.mentorships import services as mentorships

    run = _run(matched_cohort, manager)

    def racing(*args, **kwargs):
        raise Conflict("Someone here was matched at the same moment; nothing was changed.")

    monkeypatch.setattr(mentorships, "start_many", racing)
    client.force_login(manager)
    response = client.post(f"/runs/{run.public_id}/publish/", follow=True)
    assert "matched at the same moment" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert not Mentorship.objects.exists()
    api = client.post(f"/api/v1/match-runs/{run.public_id}/publish/")
    assert api.status_code == 409  # a conflict, in the API's one error shape
    assert api.json()["error"]["code"] == "conflict"
    assert "same moment" in api.json()["error"]["message"]
