"""The program's to-dos on a participant's home page (``{% load engagement_todos %}``): the
mentorship cards (``scheduling/_participant_home.html``, a lower layer that reaches this
through the template, never by importing it) read them once with
``{% engagement_todos as todos %}`` and each card its own with ``todos|todos_for:mentorship``:
an open pulse, a request to observe a session, a nudge to meet, a proposed closure
(``selectors.participant_todos``, a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from meridian.engagement import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def engagement_todos(context: template.Context) -> dict[int, list[selectors.Todo]]:
    user = context["user"]
    if not getattr(user, "is_authenticated", False):
        return {}
    return selectors.participant_todos(user, timezone.now())


@register.filter
def todos_for(todos: dict[int, list[selectors.Todo]], mentorship: Any) -> list[selectors.Todo]:
    return todos.get(getattr(mentorship, "pk", None) or 0, [])
