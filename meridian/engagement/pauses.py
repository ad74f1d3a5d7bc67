"""Pauses a pair declares (holiday, leave): from a day until a day (both included), at
most three months, not in the past, never overlapping another. While paused the ladder
takes no step, no pulse goes out and the health clocks stop (the history reads each
pause as ``pause_start`` on its first day and ``pause_end`` the day after its last).
Either member declares one and may end it early; the partner and the program's managers
see it on the pair's page. Declaring a pause withdraws a proposed closure: the pair has
said it goes on."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.engagement import ladder
from meridian.engagement.models import Pause
from meridian.mentorships.models import Mentorship

MAX_MONTHS = 3
MAX_REASON = 200


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def today_for(user: User) -> dt.date:
    """Today in the person's own zone: "not in the past" is their today."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(user.time_zone))


def current_pauses(mentorship: Mentorship, today: dt.date) -> list[Pause]:
    """The pauses running or to come, first first (one query)."""
    rows = Pause.objects.filter(mentorship=mentorship, ends_on__gte=today).select_related("declared_by")
    return list(rows.order_by("starts_on", "id"))


def pause_declare(
    *, mentorship: Mentorship, user: User, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> Pause:
    """Declare a pause for the pair, all or nothing; refusals name their field."""
    reason = " ".join(reason.replace("\x00", "").split())
    today = today_for(user)
    if starts_on < today:
        raise MeridianError(_("Start today or later: a pause cannot begin in the past."), field="starts_on")
    if ends_on <= starts_on:
        raise MeridianError(_("The pause must end after it starts."), field="ends_on")
    if ends_on > months_after(starts_on, MAX_MONTHS):
        raise MeridianError(
            _("A pause lasts at most three months: end it by %(day)s.")
            % {"day": date_format(months_after(starts_on, MAX_MONTHS), "j F Y")},
            field="ends_on",
        )
    if len(reason) > MAX_REASON:
        raise MeridianError(_("Keep the reason under %(n)d characters.") % {"n": MAX_REASON}, field="reason")
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if not permissions.may_pause(user, locked):
            raise MeridianError(_("Only the people in this mentorship pause it."))
        clash = Pause.objects.filter(
            mentorship=locked, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).first()
        if clash is not None:
            raise MeridianError(
                _("It overlaps the pause from %(start)s to %(end)s: pick other days or end that one first.")
                % {"start": date_format(clash.starts_on, "j F"), "end": date_format(clash.ends_on, "j F")},
                field="starts_on",
            )
        pause = Pause.objects.create(
            mentorship=locked, starts_on=starts_on, ends_on=ends_on, reason=reason, declared_by=user
        )
        ladder.withdraw_closure(locked)
    return pause


def pause_end(*, pause: Pause, user: User) -> Pause | None:
    """End a pause early: one not begun yet is removed (None); one running ends yesterday,
    so the pair is back today."""
    with transaction.atomic():
        locked = Pause.objects.select_for_update().select_related("mentorship").get(pk=pause.pk)
        if not permissions.may_pause(user, locked.mentorship):
            raise MeridianError(_("Only the people in this mentorship end its pause."))
        today = today_for(user)
        if locked.ends_on < today:
            raise MeridianError(_("This pause is over already."))
        if locked.starts_on >= today:
            locked.delete()
            return None
        locked.ends_on = today - dt.timedelta(days=1)
        locked.save(update_fields=["ends_on", "updated_at"])
    return locked
