"""What the close page and the closing section show, for one viewer: the people of the
mentorship read the closure and every reflection (their own and their partner's); the
program's managers and administrators see that it closed, when, by whom (role) and the
category, never a reflection; anybody else nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from meridian.core import permissions
from meridian.mentorships import closing
from meridian.mentorships.closing_forms import CloseForm, ReflectionForm
from meridian.mentorships.models import Closure, Member, Mentorship, MentorshipStatus, Reflection
from meridian.programs.models import Role


def closure_of(mentorship: Mentorship) -> Closure | None:
    return Closure.objects.filter(mentorship=mentorship).select_related("closed_by", "rematched_as").first()


def closing_context(
    mentorship: Mentorship,
    user: Any,
    *,
    form: Any = None,
    reflection_form: Any = None,
    sent: bool = False,
) -> dict[str, Any]:
    closure = closure_of(mentorship)
    pair = permissions.in_the_closing(user, mentorship)
    manages = permissions.may_manage_program(user, mentorship.program)
    mine: list[Member] = [m for m in mentorship.members.all() if m.user_id == user.pk]
    role = mine[0].role if mine else None
    context: dict[str, Any] = {
        "mentorship": mentorship,
        "closure": closure,
        "in_pair": pair,
        "manages": manages,
        "sent": sent,
        "viewer_zone": getattr(user, "time_zone", "UTC"),
        "close_form": None,
        "reflection_form": None,
        "reflections": [],
        "may_ask_rematch": False,
        "choose_again": False,
    }
    if closure is None:
        if pair and permissions.takes_part(user, mentorship):
            rematch = role == Role.MENTEE and closing.rematch_by_manager(mentorship)
            context["close_form"] = form or CloseForm(rematch=rematch)
            context["may_complete"] = closing.may_complete(mentorship)
        return context
    if not pair:
        return context
    reflections = list(Reflection.objects.filter(closure=closure).select_related("author"))
    context["reflections"] = reflections
    if not any(r.author_id == user.pk for r in reflections):
        context["reflection_form"] = reflection_form or ReflectionForm(prefix="reflect")
    ended_mentee = role == Role.MENTEE and mentorship.status == MentorshipStatus.ENDED
    by_manager = closing.rematch_by_manager(mentorship)
    context["may_ask_rematch"] = ended_mentee and by_manager and closure.rematch_requested_at is None
    context["choose_again"] = ended_mentee and not by_manager
    return context


RECENT_DAYS = 60


def closed_for(user: Any) -> list[Closure]:
    """The home page's notices: mentorships someone else closed in the last 60 days that
    ``user`` was in, with whether they have reflected (one query)."""
    mine = Reflection.objects.filter(closure=OuterRef("pk"), author=user.pk)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return list(
        Closure.objects.filter(members=user.pk, created_at__gte=since)
        .exclude(closed_by=user.pk)
        .annotate(reflected=Exists(mine))
        .select_related("closed_by", "mentorship__program")
        .order_by("-created_at")
    )
