"""Publishing a run: its pairs become mentorships, and everyone gets an introduction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from meridian.accounts.models import User
from meridian.matching.models import MatchRun, Proposal, RunStatus
from meridian.matching.services.review import editable

IN_REQUEST_INTRODUCTIONS = 50  # mentorships whose introductions go out within the request


@dataclass(frozen=True)
class Published:
    mentorships: int
    mentees: int
    skipped: int  # mentees already in a current mentorship


def run_publish(*, run: MatchRun, actor: User, notify: bool = True) -> Published:
    """Create the mentorships of ``run`` and email everyone an introduction. Publishing
    the same run twice, or a mentee matched meanwhile, moves nobody twice."""
    from meridian.matching.introductions import send_introductions
    from meridian.matching.tasks import introduce
    from meridian.mentorships.services import Batch, start_many

    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.PUBLISHED:
            return Published(0, 0, run.matched)
        editable(run)
        proposals = list(run.proposals.select_related("mentee", "mentor__cohort__program").order_by("pk"))
        by_mentor: dict[int, list[Proposal]] = {}
        for p in proposals:
            by_mentor.setdefault(p.mentor_id, []).append(p)
        group = run.cohort.program.kind == "group"
        batches = [
            Batch(
                batch[0].mentor,
                [p.mentee for p in batch],
                sum(p.score for p in batch) / len(batch),
                batch[0].summary if len(batch) == 1 else "",
            )
            for pairs in by_mentor.values()
            for batch in ([pairs] if group else [[p] for p in pairs])
        ]
        started, skipped = start_many(batches=batches)  # Conflict: someone was matched at the same moment
        run.status, run.published_at, run.published_by = RunStatus.PUBLISHED, timezone.now(), actor
        run.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        if notify:
            mentorships = sorted({s.mentorship.pk for s in started})
            if len(mentorships) <= IN_REQUEST_INTRODUCTIONS:
                transaction.on_commit(partial(send_introductions, run.pk, mentorships))
            else:
                transaction.on_commit(partial(introduce.enqueue, run.pk, mentorships))
    return Published(
        len({s.mentorship.pk for s in started}), sum(len(s.new_mentees) for s in started), skipped
    )
