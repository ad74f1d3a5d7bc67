"""The conversation page: newest at the bottom, older ones on request, a send form, and
a fragment the page polls every ten seconds for newer messages (htmx). Viewing marks
the thread read. Only the mentorship's current members get anything but a 404."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from meridian.accounts.http import AuthedRequest
from meridian.core import permissions
from meridian.messaging import selectors, services
from meridian.messaging.forms import MessageForm
from meridian.messaging.models import Message, Thread

PAGE = "messaging/thread.html"
# The page stops asking for new messages after this long without a send: a tab left open
# does not keep a session alive for ever (managers' sessions time out when idle).
POLL_SECONDS = 30 * 60


def _message_id(request: HttpRequest, name: str) -> uuid.UUID | HttpResponse | None:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return HttpResponseBadRequest(f"'{name}' is not a message id.")


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    conversation = selectors.get_thread_for_user(request.user, public_id, write=request.method == "POST")
    if request.method == "POST":
        return _send(request, conversation)
    before = _message_id(request, "before")
    if isinstance(before, HttpResponse):
        return before
    window = selectors.latest(conversation, before=before)
    if request.htmx and before is not None:
        return render(request, PAGE + "#older", {"window": window, "thread": conversation})
    if before is None:
        newest = window.messages[-1].pk if window.messages else None
        services.thread_mark_read(thread=conversation, user=request.user, upto=newest)
    return render(request, PAGE, _context(request, conversation, window, MessageForm()))


def _context(request: AuthedRequest, conversation: Thread, window: Any, form: MessageForm) -> dict[str, Any]:
    mentorship = conversation.mentorship
    writer = permissions.may_message(request.user, mentorship)  # else it has ended: all who were in it
    others = [
        m.user
        for m in mentorship.members.all()
        if m.user_id != request.user.pk and (m.is_current or not writer)
    ]
    return {
        "thread": conversation,
        "mentorship": mentorship,
        "others": others,
        "window": window,
        "last": window.messages[-1].public_id if window.messages else None,
        "form": form,
        "writer": writer,
        "started": int(time.time()),
    }


def _send(request: AuthedRequest, conversation: Thread) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_send(thread=conversation, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.refuse(error)
    if not request.htmx:
        if form.is_valid() and not form.errors:
            return redirect("messaging:thread", conversation.mentorship.public_id)
        window = selectors.latest(conversation)
        return render(request, PAGE, _context(request, conversation, window, form))
    if form.errors:
        return render(request, PAGE + "#composer", {"form": form, "mentorship": conversation.mentorship})
    return _newer(request, conversation, sent=True)


def _newer(request: AuthedRequest, conversation: Thread, *, sent: bool = False) -> HttpResponse:
    after = _message_id(request, "after")
    if isinstance(after, HttpResponse):
        return after
    rows = selectors.newer(conversation, after)
    services.thread_mark_read(thread=conversation, user=request.user, upto=rows[-1].pk if rows else None)
    started = int(time.time()) if sent else _started(request)
    stopped = time.time() - started > POLL_SECONDS
    if not rows and not sent and not stopped:
        return HttpResponse(status=204)  # nothing new: htmx leaves the page as it is
    context = {
        "rows": rows,
        "last": _last(rows, after),
        "thread": conversation,
        "mentorship": conversation.mentorship,
        "form": MessageForm() if sent else None,
        "sent": sent,
        "first": after is None,
        "started": started,
        "stopped": stopped,
    }
    return render(request, "messaging/_newer.html", context)


def _started(request: HttpRequest) -> int:
    raw = request.GET.get("started", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else int(time.time())


def _last(rows: list[Message], after: uuid.UUID | None) -> Any:
    return rows[-1].public_id if rows else after


@login_required
@require_GET
def poll(request: AuthedRequest, public_id: uuid.UUID) -> HttpResponse:
    """Messages newer than ``after`` (the last one the page shows), appended by htmx."""
    conversation = selectors.get_thread_for_user(request.user, public_id)
    return _newer(request, conversation)


@login_required
@require_GET
def unread(request: AuthedRequest) -> HttpResponse:
    """The navigation's count of unread messages (loaded by htmx, one query)."""
    count = selectors.unread_total(request.user)
    return render(request, "messaging/_unread.html", {"count": count})
