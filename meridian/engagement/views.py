"""Pages of engagement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from meridian.core.errors import MeridianError
from meridian.engagement import links


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A one-click link from an email: no sign-in; the link itself is the permission.
    GET shows the answer about to be sent (sent at once by the page's script), POST sends it."""
    try:
        if request.method == "GET":
            links.check(token)
            return render(request, "engagement/answer.html", {"confirm": True})
        done = links.follow(token)
    except links.LinkRefused as refused:
        context = {"refused": refused, "reason": refused.reason}
        return render(request, "engagement/answer.html", context, status=refused.status)
    except MeridianError as error:
        return render(request, "engagement/answer.html", {"refused": error, "reason": "rule"}, status=400)
    return render(request, "engagement/answer.html", {"answer": done})
