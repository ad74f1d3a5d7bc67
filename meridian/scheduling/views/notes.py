"""A meeting's writes: a shared text (agenda, shared notes, recap), my private note,
action items. Only current members of a current mentorship write (404 for everybody
else). htmx gets back the part of the notes panel that changed; a plain POST is sent back to
the meeting page, or, when the input is refused, to a page that keeps what was typed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.core.text import fingerprint
from meridian.scheduling import actions, notes, selectors
from meridian.scheduling.models import ActionItem, Meeting
from meridian.scheduling.notes_forms import ActionForm, DoneForm, PrivateNoteForm, TextForm
from meridian.scheduling.notes_panel import active_goals, panel_for, section_of

SAVED = {
    "agenda": gettext_lazy("The agenda is saved."),
    "shared_notes": gettext_lazy("The shared notes are saved."),
    "recap": gettext_lazy("The recap is saved."),
    "private": gettext_lazy("Your private note is saved."),
}
PANEL = "scheduling/_notes_panel.html"
ACTIONS = "scheduling/_action_items.html"


def _context(request: AuthedRequest, meeting: Meeting) -> dict[str, Any]:
    context = panel_for(meeting, request.user)
    if context is None:  # the writer checks ran first; a member always reads
        raise Http404
    return context


def _section_answer(
    request: AuthedRequest, meeting: Meeting, field: str, form: Any = None, error: Exception | None = None
) -> HttpResponse:
    """The section of ``field``: saved (no ``form``), or with the refused ``form``."""
    if form is None and not request.htmx:
        messages.success(request, str(SAVED[field]))
        return redirect("scheduling:meeting", meeting.public_id)
    context = _context(request, meeting)
    section = section_of(context, field)
    section.saved = form is None
    if form is not None:
        section.form = form
    if isinstance(error, notes.TextConflict):
        section.theirs = error.theirs
        form.data = form.data.copy()  # the next save goes through: they have seen it now
        form.data[form.add_prefix("seen")] = fingerprint(error.theirs)
    if not request.htmx:
        return _retry(request, meeting, context, section=section)
    # htmx swaps 200 answers only: the errors are in the fragment, the news in the messages.
    if form is None:
        messages.success(request, str(SAVED[field]))
    else:
        messages.error(request, _("Not saved: see the reason under the text."))
    return render(request, f"{PANEL}#text_answer", {"panel": context, "section": section})


def _retry(request: AuthedRequest, meeting: Meeting, context: dict[str, Any], **extra: Any) -> HttpResponse:
    """Refused input without htmx: a page with what was typed and the reasons."""
    return render(
        request,
        "scheduling/notes_retry.html",
        {"meeting": meeting, "panel": context, **extra},
        status=400,
    )


def _save(
    request: AuthedRequest, meeting: Meeting, field: str, form: Any, write: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    if not form.is_valid():
        return _section_answer(request, meeting, field, form)
    try:
        write(form.cleaned_data)
    except MeridianError as error:
        show_error(request, error, form)
        return _section_answer(request, meeting, field, form, error)
    return _section_answer(request, meeting, field)


@login_required
@require_POST
def save_text(request: AuthedRequest, public_id: UUID, field: str) -> HttpResponse:
    if field not in notes.TEXT_FIELDS:
        raise Http404
    meeting = selectors.get_meeting_for_user(request.user, public_id, write=True)
    if field == "agenda" and "use_suggestion" in request.POST:
        suggestion = {
            "agenda-text": notes.suggested_agenda(meeting),
            "agenda-seen": fingerprint(""),
        }
        form = TextForm(suggestion, field=field)
        return _save(
            request,
            meeting,
            field,
            form,
            lambda d: notes.agenda_use_suggested(meeting=meeting, user=request.user),
        )
    return _save(
        request,
        meeting,
        field,
        TextForm(request.POST, field=field),
        lambda d: notes.meeting_text_save(
            meeting=meeting, user=request.user, field=field, text=d["text"], seen=d["seen"] or None
        ),
    )


@login_required
@require_POST
def private_note(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, public_id, write=True)
    return _save(
        request,
        meeting,
        "private",
        PrivateNoteForm(request.POST),
        lambda d: notes.private_note_save(meeting=meeting, user=request.user, text=d["text"]),
    )


@login_required
@require_POST
def add_action(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, public_id, write=True)
    context = _context(request, meeting)
    current = [m for m in context["members"] if m.is_current]
    form = ActionForm(request.POST, members=current, goals=active_goals(meeting.mentorship))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.action_item_add(
                mentorship=meeting.mentorship,
                meeting=meeting,
                user=request.user,
                text=data["text"],
                owner=data["owner"],
                due_on=data["due_on"],
                goal=data["goal"],
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            if not request.htmx:
                messages.success(request, _("Action item added."))
                return redirect("scheduling:meeting", meeting.public_id)
            context = _context(request, meeting)
            context["added"] = True
            messages.success(request, _("Action item added."))
            return render(request, f"{ACTIONS}#actions_answer", {"panel": context})
    context["action_form"] = form
    if request.htmx:
        messages.error(request, _("Not added: see the reasons in the form."))
        return render(request, f"{ACTIONS}#actions_answer", {"panel": context})
    return _retry(request, meeting, context, actions=True)


def _back(request: AuthedRequest, action: ActionItem) -> Meeting | None:
    """The meeting page the person acted from (one of the same mentorship), else the item's own."""
    try:
        wanted = uuid.UUID(request.POST.get("meeting", ""))
    except ValueError:
        return action.meeting
    found = Meeting.objects.filter(mentorship_id=action.mentorship_id, public_id=wanted).first()
    return found or action.meeting


def _back_to(back: Meeting | None, action: ActionItem) -> HttpResponse:
    if back is not None:
        return redirect("scheduling:meeting", back.public_id)
    return redirect("portal:workspace", action.mentorship.public_id)


@login_required
@require_POST
def action_done(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    action = selectors.get_action_item_for_user(request.user, public_id, write=True)
    form = DoneForm(request.POST)
    done = bool(form.is_valid() and form.cleaned_data["done"])
    actions.action_item_set_done(action=action, user=request.user, done=done)
    back = _back(request, action)
    if request.htmx:
        row = actions.action_rows(back, [action])[0]
        return render(
            request, f"{ACTIONS}#action_row", {"row": row, "panel": {"meeting": back, "can_write": True}}
        )
    messages.success(request, _("Marked done.") if done else _("Marked not done."))
    return _back_to(back, action)


@login_required
@require_POST
def action_delete(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    action = selectors.get_action_item_for_user(request.user, public_id, write=True)
    back = _back(request, action)
    actions.action_item_delete(action=action, user=request.user)
    messages.success(request, _("Deleted the action “%(text)s”.") % {"text": action.text})
    if request.htmx:  # the row goes; the message arrives in the page's messages region
        return render(request, "core/messages.html", {"oob": True})
    return _back_to(back, action)
