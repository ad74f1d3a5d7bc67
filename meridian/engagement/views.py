"""Pages of engagement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meridian.core.errors import MeridianError
from meridian.engagement import links


@require_GET
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A one-click link from an email: no sign-in; the link itself is the permission."""
    try:
        done = links.follow(token)
    except links.LinkRefused as refused:
        context = {"refused": refused, "reason": refused.reason}
        return render(request, "engagement/answer.html", context, status=refused.status)
    except MeridianError as error:
        return render(request, "engagement/answer.html", {"refused": error, "reason": "rule"}, status=400)
    return render(request, "engagement/answer.html", {"answer": done})
