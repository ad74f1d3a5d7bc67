"""A mentorship's action items: added at a meeting (or on their own), ticked off, removed;
what is still open carries over to the next meetings. Only a current member of a current
mentorship writes them; refused input raises :class:`InputRefused` with a message for the
person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.core.text import InputRefused, clean_text
from meridian.mentorships.models import Member, Mentorship
from meridian.scheduling.models import ActionItem, Meeting

MAX_ACTION = 500  # ActionItem.text
DUE_AHEAD = dt.timedelta(days=731)  # a due date more than two years ahead is a typo


def require_writer(user: Any, mentorship: Mentorship) -> None:
    """The services' own check (the pages asked the selectors already)."""
    if not permissions.takes_part(user, mentorship):
        raise PermissionDenied


# ---------------------------------------------------------------- reads


def items_of(meeting: Meeting) -> list[ActionItem]:
    """This meeting's action items and every open one of the mentorship: open first, by due date."""
    rows = ActionItem.objects.filter(mentorship_id=meeting.mentorship_id).filter(
        Q(meeting_id=meeting.pk) | Q(done_at__isnull=True)
    )
    return list(
        rows.select_related("owner").order_by(
            F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "created_at", "pk"
        )
    )


def carried(meeting: Meeting, items: Iterable[ActionItem]) -> list[ActionItem]:
    """The open items that come from other meetings."""
    return [i for i in items if i.done_at is None and i.meeting_id != meeting.pk]


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool
    carried: bool  # open, from another meeting


def action_rows(meeting: Meeting | None, items: Iterable[ActionItem]) -> list[ActionRow]:
    today = timezone.localdate()
    return [
        ActionRow(
            item=i,
            overdue=i.done_at is None and i.due_on is not None and i.due_on < today,
            carried=meeting is not None and i.meeting_id != meeting.pk,
        )
        for i in items
    ]


# ---------------------------------------------------------------- writes


def check_due(mentorship: Mentorship, due_on: dt.date | None) -> None:
    if due_on is None:
        return
    if due_on < mentorship.started_on:
        raise InputRefused(
            _("The due date is before this mentorship started (%(start)s).")
            % {"start": date_format(mentorship.started_on, "j M Y")},
            field="due_on",
        )
    if due_on > timezone.localdate() + DUE_AHEAD:
        raise InputRefused(_("The due date is more than two years ahead. Check the year."), field="due_on")


@transaction.atomic
def action_item_add(
    *,
    mentorship: Mentorship,
    meeting: Meeting | None,
    user: Any,
    text: str,
    owner: Any,
    due_on: dt.date | None,
    goal: Any = None,
) -> ActionItem:
    """A new action item: ``owner`` must be a current member; the due date may not lie
    before the mentorship started or more than two years ahead."""
    require_writer(user, mentorship)
    if meeting is not None and meeting.mentorship_id != mentorship.pk:
        raise InputRefused(_("This meeting belongs to another mentorship."), field=None)
    clean = clean_text(text, limit=MAX_ACTION, what=_("The action"))
    if not clean:
        raise InputRefused(_("Write what is to be done."))
    if (
        owner is None
        or not Member.objects.filter(mentorship=mentorship, user=owner, is_current=True).exists()
    ):
        raise InputRefused(_("The owner must be a current member of this mentorship."), field="owner")
    check_due(mentorship, due_on)
    if goal is not None and goal.mentorship_id != mentorship.pk:
        raise InputRefused(_("Choose one of this mentorship's goals."), field="goal")
    return ActionItem.objects.create(
        mentorship=mentorship,
        meeting=meeting,
        text=clean,
        owner=owner,
        due_on=due_on,
        goal=goal,
        created_by=user,
    )


def action_item_set_done(*, action: ActionItem, user: Any, done: bool) -> ActionItem:
    """Tick or untick; ticking twice keeps the first time it was done."""
    require_writer(user, action.mentorship)
    rows = ActionItem.objects.filter(pk=action.pk)
    if done:
        rows.filter(done_at__isnull=True).update(done_at=timezone.now(), updated_at=timezone.now())
    else:
        rows.update(done_at=None, updated_at=timezone.now())
    action.done_at = rows.values_list("done_at", flat=True).first()
    return action


def action_item_delete(*, action: ActionItem, user: Any) -> None:
    require_writer(user, action.mentorship)
    ActionItem.objects.filter(pk=action.pk).delete()
