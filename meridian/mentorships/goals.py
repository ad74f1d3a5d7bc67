"""The pair's development plan: goals with milestones and a progress history, and the
program's suggested goals. Services here (``goal_<verb>``, keyword-only, atomic); reads
in :mod:`meridian.mentorships.selectors`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.mentorships.models import (
    Goal,
    GoalStatus,
    Mentorship,
    Milestone,
    ProgressUpdate,
    SampleGoal,
)
from meridian.programs.models import Program

MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_COMMENT = 500
MAX_MILESTONES = 20
MAX_SAMPLES = 50


@dataclass(frozen=True)
class GoalInput:
    title: str
    description: str = ""
    target_on: dt.date | None = None
    milestones: Sequence[str] = ()


def _writer(user: Any, mentorship: Mentorship) -> None:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError(_("Only the members of a current mentorship change its plan."))


def _clean_milestones(titles: Sequence[str]) -> list[str]:
    found = [t.strip() for t in titles if t.strip()]
    if len(found) > MAX_MILESTONES:
        raise MeridianError(
            _("A goal has at most %(n)d milestones.") % {"n": MAX_MILESTONES}, field="milestones"
        )
    if any(len(t) > MAX_TITLE for t in found):
        raise MeridianError(
            _("A milestone has at most %(n)d characters.") % {"n": MAX_TITLE}, field="milestones"
        )
    return found


def _check_target(target_on: dt.date | None, *, was: dt.date | None = None) -> None:
    """A new target date is today or later (in the writer's zone); a goal's date already
    past may stay as it is."""
    if target_on is not None and target_on != was and target_on < timezone.localdate():
        raise MeridianError(_("Choose a target date from today on."), field="target_on")


def goal_create(*, mentorship: Mentorship, user: Any, data: GoalInput) -> Goal:
    """A new active goal at 0 %, with its milestones in the order given."""
    titles = _clean_milestones(data.milestones)
    _check_target(data.target_on)
    with transaction.atomic():
        _writer(user, mentorship)
        goal = Goal.objects.create(
            mentorship=mentorship,
            title=data.title.strip()[:MAX_TITLE],
            description=data.description.strip()[:MAX_DESCRIPTION],
            target_on=data.target_on,
            created_by=user,
        )
        Milestone.objects.bulk_create(
            Milestone(goal=goal, position=i, title=title) for i, title in enumerate(titles)
        )
    return goal


def goal_update(*, goal: Goal, user: Any, data: GoalInput) -> Goal:
    """Change the title, description, target date and milestones. A milestone kept (same
    title) keeps whether it is done; the list takes the new order."""
    titles = _clean_milestones(data.milestones)
    with transaction.atomic():
        _writer(user, goal.mentorship)
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        _check_target(data.target_on, was=locked.target_on)
        locked.title = data.title.strip()[:MAX_TITLE]
        locked.description = data.description.strip()[:MAX_DESCRIPTION]
        locked.target_on = data.target_on
        locked.save(update_fields=["title", "description", "target_on", "updated_at"])
        old = {m.title: m for m in locked.milestones.all()}
        kept = []
        for position, title in enumerate(titles):
            milestone = old.pop(title, None) or Milestone(goal=locked, title=title)
            milestone.position = position
            kept.append(milestone)
        Milestone.objects.filter(pk__in=[m.pk for m in old.values()]).delete()
        Milestone.objects.bulk_create([m for m in kept if m.pk is None])
        Milestone.objects.bulk_update([m for m in kept if m.pk is not None], ["position"])
    return locked


def goal_progress(*, goal: Goal, user: Any, progress: int, comment: str, status: str = "") -> ProgressUpdate:
    """Move the goal to ``progress`` (0-100) with a short comment, and to ``status`` if given;
    one line of the history either way."""
    comment = comment.strip()
    if not comment:
        raise MeridianError(_("Say in a few words what changed."), field="comment")
    if not 0 <= progress <= 100:
        raise MeridianError(_("Progress is a number from 0 to 100."), field="progress")
    if status and status not in GoalStatus.values:
        raise MeridianError(_("Choose a status from the list."), field="status")
    with transaction.atomic():
        _writer(user, goal.mentorship)
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        locked.progress = progress
        locked.status = status or locked.status
        locked.save(update_fields=["progress", "status", "updated_at"])
        return ProgressUpdate.objects.create(
            goal=locked,
            author=user,
            progress=progress,
            status=locked.status,
            comment=comment[:MAX_COMMENT],
        )


def goal_milestone_mark(*, milestone: Milestone, user: Any, done: bool) -> Milestone:
    with transaction.atomic():
        _writer(user, milestone.goal.mentorship)
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done_at"])
    return milestone


def goal_from_sample(*, mentorship: Mentorship, user: Any, sample_id: int) -> Goal:
    """A goal from one of the program's suggestions (refused when it is not this program's)."""
    sample = SampleGoal.objects.filter(pk=sample_id, program_id=mentorship.program_id).first()
    if sample is None:
        raise MeridianError(_("Choose one of the program's suggestions."))
    return goal_create(mentorship=mentorship, user=user, data=GoalInput(title=sample.title))


def goal_samples_save(*, program: Program, user: Any, titles: Sequence[str]) -> list[SampleGoal]:
    """Replace the program's suggested goals by ``titles`` (one per line, in order)."""
    clean = list(dict.fromkeys(t.strip() for t in titles if t.strip()))
    if len(clean) > MAX_SAMPLES:
        raise MeridianError(_("A program suggests at most %(n)d goals.") % {"n": MAX_SAMPLES}, field="titles")
    if any(len(t) > MAX_TITLE for t in clean):
        raise MeridianError(
            _("A suggested goal has at most %(n)d characters.") % {"n": MAX_TITLE}, field="titles"
        )
    with transaction.atomic():
        if not permissions.may_manage_program(user, program):
            raise MeridianError(_("Only the program's managers change its suggestions."))
        SampleGoal.objects.filter(program=program).delete()
        return SampleGoal.objects.bulk_create(
            SampleGoal(program=program, position=i, title=t) for i, t in enumerate(clean)
        )


# ---------------------------------------------------------------- reads


def goals_of(mentorship: Mentorship, *, full: bool) -> QuerySet[Goal]:
    """The mentorship's goals, active first; with milestones when ``full`` (the pair)."""
    rows = Goal.objects.filter(mentorship=mentorship)
    if full:
        rows = rows.prefetch_related("milestones")
    return rows.order_by("status", "created_at", "id")


def history_of(goal: Goal) -> QuerySet[ProgressUpdate]:
    return goal.updates.select_related("author")


def samples_of(program: Program) -> QuerySet[SampleGoal]:
    return SampleGoal.objects.filter(program=program)


def goal_with_parts(rows: QuerySet[Goal]) -> QuerySet[Goal]:
    return rows.select_related("mentorship__program").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))
    )


def parse_public_id(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as error:
        raise Http404 from error
