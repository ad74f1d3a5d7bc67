"""The development plan's and the shared files' sections of a mentorship's page
(``{% load mentorship_sections %}{% goals_section mentorship %}``): each reads what the
viewer may see, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Max, Q

from meridian.core import permissions
from meridian.mentorships.models import Goal, GoalStatus, SharedItem

register = template.Library()


@register.inclusion_tag("mentorships/_goals_section.html", takes_context=True)
def goals_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    user = context["request"].user
    full = permissions.in_the_pair(user, mentorship)
    shown = full or permissions.may_see_goal_titles(user, mentorship)
    rows = (
        list(Goal.objects.filter(mentorship=mentorship).order_by("status", "created_at", "id")[:20])
        if shown
        else []
    )
    return {
        "mentorship": mentorship,
        "shown": shown,
        "full": full,
        "goals": rows,
        "active": sum(1 for g in rows if g.status == GoalStatus.ACTIVE),
        "request": context["request"],
    }


@register.inclusion_tag("mentorships/_files_section.html", takes_context=True)
def files_section(context: template.Context, mentorship: Any) -> dict[str, Any]:
    user = context["request"].user
    full = permissions.in_the_pair(user, mentorship)
    manager = not full and permissions.may_manage_program(user, mentorship.program)
    recent = (
        list(SharedItem.objects.filter(mentorship=mentorship).select_related("added_by")[:5]) if full else []
    )
    totals = (
        SharedItem.objects.filter(mentorship=mentorship).aggregate(
            links=Count("pk", filter=Q(kind="link")),
            files=Count("pk", filter=Q(kind="file")),
            last=Max("created_at"),
        )
        if full or manager
        else {}
    )
    return {"mentorship": mentorship, "full": full, "manager": manager, "recent": recent, "totals": totals}
