"""The review's edits: the preview of a move or a swap is what the edit then does, the
quality report is computed again after every edit, and the review names people so that
two of the same name are told apart."""

from __future__ import annotations

import json
import random
import statistics

import pytest

from meridian.core.errors import MeridianError
from meridian.matching import adapter, editing
from meridian.matching.models import MatchRun, RunStatus
from meridian.matching.services.review import (
    fresh_report,
    proposal_exclude,
    proposal_lock_toggle,
    proposal_swap,
    proposal_unmatch,
    run_move,
)
from meridian.matching.services.runs import run_start
from meridian.matching.tests.conftest import demo_cohort

pytestmark = pytest.mark.django_db


def _run(cohort, manager, **changes) -> MatchRun:
    settings = {**adapter.default_settings(cohort), "constraints": {"min_shared_hours": 0}, **changes}
    run = run_start(cohort=cohort, actor=manager, settings=settings)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


def _pairs(run) -> dict[int, tuple[int, float]]:
    return {m: (r, s) for m, r, s in run.proposals.values_list("mentee_id", "mentor_id", "score")}


@pytest.mark.parametrize("seed", range(4))
def test_a_moves_preview_is_what_the_move_does_on_random_cohorts(manager, seed):
    moved = refused = made_room = 0
    rng = random.Random(seed)
    cohort = demo_cohort(manager, mentees=rng.randint(8, 14), mentors=rng.randint(2, 4), seed=seed)
    run = _run(cohort, manager)
    mentees = list(cohort.enrollments.filter(role="mentee"))
    mentors = list(cohort.enrollments.filter(role="mentor"))
    for _ in range(10):
        mentee, mentor = rng.choice(mentees), rng.choice(mentors)
        run.refresh_from_db()
        try:
            preview = editing.preview_move(run=run, mentee=mentee, mentor=mentor)
        except MeridianError as exc:
            with pytest.raises(MeridianError, match=str(exc)[:30]):
                run_move(run=run, mentee=mentee, mentor=mentor)
            refused += 1
            continue
        before = _pairs(run)
        done = run_move(run=run, mentee=mentee, mentor=mentor)
        run.refresh_from_db()
        after = _pairs(run)
        assert done == preview
        assert run.total - preview.before == pytest.approx(preview.delta, abs=1e-6)
        assert run.total == pytest.approx(preview.after, abs=1e-6)
        changed = {m for m in before.keys() | after.keys() if before.get(m, (0,))[0] != after.get(m, (0,))[0]}
        assert changed == {m.enrollment for m in preview.moves}
        assert run.matched == preview.matched_after
        moved += 1
        made_room += len(preview.moves) > 1
    assert moved >= 3, (moved, refused, made_room)


def test_a_move_to_a_full_mentor_previews_who_makes_room_and_where_they_go(manager):
    cohort = demo_cohort(manager, mentees=14, mentors=3, seed=11)
    run = _run(cohort, manager)
    room = adapter.mentor_room(cohort)
    load: dict[int, int] = {}
    for mentor_id in run.proposals.values_list("mentor_id", flat=True):
        load[mentor_id] = load.get(mentor_id, 0) + 1
    full = [m for m, n in load.items() if n >= room[m]]
    assert full, "every mentor has room: the cohort is too small to test this"
    target = cohort.enrollments.get(pk=full[0])
    for mentee in cohort.enrollments.filter(role="mentee").exclude(
        pk__in=run.proposals.filter(mentor=target).values("mentee")
    ):
        try:
            preview = editing.preview_move(run=run, mentee=mentee, mentor=target)
        except MeridianError:
            continue
        break
    else:
        pytest.fail("no mentee may move to the full mentor")
    assert len(preview.moves) >= 2
    assert preview.moves[-1].before == target.user.name
    done = run_move(run=run, mentee=mentee, mentor=target)
    run.refresh_from_db()
    assert done == preview
    assert run.total == pytest.approx(preview.after, abs=1e-6)
    out = preview.moves[-1]
    placed = run.proposals.filter(mentee_id=out.enrollment).select_related("mentor__user").first()
    assert (placed.mentor.user.name if placed else None) == out.after


def test_each_swap_listed_costs_what_the_swap_then_does(manager):
    cohort = demo_cohort(manager, mentees=12, mentors=4, seed=3)
    run = _run(cohort, manager)
    checked = 0
    for proposal in run.proposals.order_by("pk")[:4]:
        run.refresh_from_db()
        listed = editing.swap_list(run=run, proposal=proposal)
        assert [o.change.delta for o in listed.options] == sorted(
            (o.change.delta for o in listed.options), reverse=True
        )
        if not listed.options:
            continue
        option = listed.options[-1]
        before = _pairs(run)
        done = proposal_swap(first=run.proposals.get(pk=proposal.pk), second=option.partner)
        run.refresh_from_db()
        assert done == option.change
        assert run.total == pytest.approx(option.change.after, abs=1e-6)
        after = _pairs(run)
        assert {m for m in after if after[m][0] != before[m][0]} == {m.enrollment for m in done.moves}
        checked += 1
    assert checked >= 2


def _fresh(run) -> dict[str, object]:
    adapter._BUILT.clear()  # nothing cached: computed from scratch
    fresh: dict[str, object] = json.loads(json.dumps(fresh_report(run)))
    return fresh


def _agrees_with_the_pairs(run) -> None:
    """The report's figures, checked against the run's pairs themselves."""
    report = run.report
    scores = sorted(run.proposals.values_list("score", flat=True))
    assert report["matched"] == run.matched == len(scores) == report["capacity_used"]
    assert report["scores"]["p50"] == pytest.approx(statistics.median(scores), abs=1e-6)
    for grouping in report["groupings"]:
        assert sum(g["matched"] for g in grouping["groups"]) == len(scores)
    matched_users = {str(u) for u in run.proposals.values_list("mentee__user_id", flat=True)}
    everyone = {
        str(u) for u in run.cohort.enrollments.filter(role="mentee").values_list("user_id", flat=True)
    }
    assert {u["mentee_id"] for u in report["unmatched"]} == everyone - matched_users
    assert report["certificate"]["total"] == pytest.approx(sum(scores), abs=1e-6)


def test_the_quality_report_is_computed_again_after_each_kind_of_edit(manager):
    cohort = demo_cohort(manager, mentees=14, mentors=4, seed=3)
    run = _run(cohort, manager)
    pairs = list(run.proposals.order_by("-score", "pk"))
    edits = [
        ("unmatch", lambda: proposal_unmatch(proposal=pairs[0])),
        ("exclude", lambda: proposal_exclude(proposal=pairs[1], actor=manager, reason="")),
        ("lock", lambda: proposal_lock_toggle(proposal=run.proposals.get(pk=pairs[2].pk))),
        ("move", lambda: run_move(run=run, mentee=pairs[0].mentee, mentor=pairs[3].mentor)),
        ("swap", lambda: _first_swap(run)),
    ]
    for name, edit in edits:
        edit()
        run.refresh_from_db()
        _agrees_with_the_pairs(run)
        assert run.report == _fresh(run), name


def _first_swap(run):
    for proposal in run.proposals.filter(locked=False).order_by("pk"):
        listed = editing.swap_list(run=run, proposal=proposal)
        if listed.options:
            return proposal_swap(first=proposal, second=listed.options[0].partner)
    raise AssertionError("no swap is allowed in this run")


def test_an_unmatched_mentee_links_to_their_alternatives_and_why_not(client, manager):
    cohort = demo_cohort(manager, mentees=10, mentors=4, seed=2)
    run = _run(cohort, manager)
    proposal = run.proposals.order_by("pk").first()
    assert proposal is not None
    proposal_unmatch(proposal=proposal)
    client.force_login(manager)
    page = client.get(f"/runs/{run.public_id}/").content.decode()
    link = f"/runs/{run.public_id}/why-not/?mentee={proposal.mentee.public_id}"
    assert link in page
    assert "still have room" in page or "still has room" in page
    assert client.get(link).status_code == 200


def test_two_people_of_the_same_name_are_told_apart_on_every_review_page(client, manager):
    cohort = demo_cohort(manager, mentees=10, mentors=4, seed=4)
    mentees = list(
        cohort.enrollments.filter(role="mentee").select_related("user__profile").order_by("pk")[:2]
    )
    for enrollment in mentees:
        enrollment.user.name = "Ryota Shimizu"
        enrollment.user.save()
    first, second = mentees
    first.user.profile.external_id = "E-1001"
    first.user.profile.save()
    second.user.profile.external_id = ""  # no HR id: the email tells them apart
    second.user.profile.save()
    run = _run(cohort, manager)
    other = _run(cohort, manager, mode="stable")
    client.force_login(manager)
    review = client.get(f"/runs/{run.public_id}/").content.decode()
    why_not = client.get(f"/runs/{run.public_id}/why-not/?mentee={second.public_id}").content.decode()
    compare = client.get(f"/runs/{run.public_id}/compare/?with={other.public_id}").content.decode()
    assert "HR id E-1001" in review
    assert second.user.email in review
    assert f'Lock<span class="visually-hidden"> Ryota Shimizu ({second.user.email})' in review or (
        second.pk not in set(run.proposals.values_list("mentee_id", flat=True))
    )
    assert second.user.email in why_not
    matched = set(run.proposals.values_list("mentee_id", flat=True)) ^ set(
        other.proposals.values_list("mentee_id", flat=True)
    )
    if first.pk in matched or second.pk in matched:
        assert "HR id E-1001" in compare or second.user.email in compare
    # a name nobody shares stays as it is
    alone = cohort.enrollments.filter(role="mentor").select_related("user").first()
    assert f"{alone.user.name} (" not in review


def test_the_run_comparison_names_settings_in_the_managers_words(client, manager):
    cohort = demo_cohort(manager, mentees=8, mentors=3, seed=6)
    settings = adapter.default_settings(cohort)
    a = _run(cohort, manager)
    changed = {**settings["constraints"], "min_shared_hours": 2.5, "require_common_language": False}
    b = _run(
        cohort, manager, constraints=changed, mode="stable", weights={**settings["weights"], "skills": 3}
    )
    client.force_login(manager)
    page = client.get(f"/runs/{a.public_id}/compare/?with={b.public_id}").content.decode()
    assert "constraints." not in page
    assert "weights." not in page
    assert "min_shared_hours" not in page
    assert "Shared hours a week, at least" in page
    assert "Require a common language" in page
    assert "Skills offered against skills wanted" in page
    assert "Kind of matching" in page
    assert "Stable: nobody would both rather be with each other" in page


def test_a_coverage_run_is_labelled_by_its_objective(client, manager):
    cohort = demo_cohort(manager, mentees=8, mentors=3, seed=8)
    run = _run(cohort, manager, objective="coverage")
    client.force_login(manager)
    for url in (f"/runs/{run.public_id}/", f"/cohorts/{cohort.public_id}/matching/"):
        page = client.get(url).content.decode()
        assert "Most mentees matched, then the best total" in page
        assert "Best total" not in page.split("<main", 1)[-1].split("<form", 1)[0]


def test_my_mentorships_name_the_partner_without_a_stray_comma(client, manager):
    from meridian.mentorships.services import start

    cohort = demo_cohort(manager, mentees=2, mentors=1, seed=9)
    mentor = cohort.enrollments.get(role="mentor")
    mentee = cohort.enrollments.filter(role="mentee").first()
    start(mentor=mentor, mentees=[mentee])
    for viewer, partner in ((mentor, mentee), (mentee, mentor)):
        client.force_login(viewer.user)
        page = client.get("/mentorships/").content.decode()
        assert f">{partner.user.name}</a>" in page, page
        assert f"{partner.user.name}," not in page
