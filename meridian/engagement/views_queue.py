"""The program's check-in queue, for its managers: the pairs to contact, most urgent
first, and what a manager does with each (log a contact, snooze, resolve). With htmx an
action answers the pair's card; without, the queue page again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.engagement import queue_reads, queue_services, selectors
from meridian.engagement.models import QueueItem, QueueKind
from meridian.engagement.queue_forms import ContactForm, SnoozeForm

PAGE = "engagement/queue.html"


def _card(
    item: QueueItem, contact_form: ContactForm | None = None, today: dt.date | None = None, **extra: Any
) -> dict[str, Any]:
    """One pair's card; its form's ids carry the item's (many cards share the page)."""
    contact_form = contact_form or ContactForm()
    contact_form.auto_id = f"id_{item.public_id.hex[:8]}_%s"
    today = today or timezone.localdate()
    return {
        "item": item,
        "step": selectors.next_step(item),
        "contact_form": contact_form,
        "today": today,
        **extra,
    }


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


@login_required
@require_GET
def queue(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    """The queue in sections by kind; ``?kind=<kind>&page=<n>`` shows more of one section
    (with htmx, only that page's cards and the next "show more")."""
    program = selectors.get_queue_for_user(request.user, public_id)
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    kind = kind if kind in QueueKind.values else ""
    page = _page_number(request.GET.get("page"))
    zone = request.user.time_zone
    if request.htmx and kind:
        section = queue_reads.section_page(program, today, kind, page)
        cards = [_card(item, today=today) for item in section.items]
        context = {"program": program, "section": section, "cards": cards, "viewer_zone": zone}
        return render(request, f"{PAGE}#more_cards", context)
    found = queue_reads.queue_page(program, today, kind=kind, page=page)
    sections = [(section, [_card(item, today=today) for item in section.items]) for section in found.sections]
    context = {"program": program, "page": found, "sections": sections, "viewer_zone": zone}
    return render(request, PAGE, context)


def _act(
    request: AuthedRequest,
    public_id: UUID,
    form: forms.Form,
    act: Callable[[QueueItem, dict[str, Any]], str],
    slot: str = "",
) -> HttpResponse:
    """Check the form, do ``act``; htmx gets the card again (with the reasons beside the
    fields when refused), a plain POST the queue page."""
    item = selectors.get_queue_item_for_user(request.user, public_id, write=True)
    done = refused = ""
    if form.is_valid():
        try:
            done = act(item, form.cleaned_data)
        except MeridianError as error:
            show_error(request, error, form)
            refused = "" if error.field in form.fields else error.message
    if not request.htmx:
        if done:
            messages.success(request, done)
        else:
            messages.error(request, _("Not saved: %(why)s") % {"why": _first_error(form)})
        return redirect("engagement:queue", item.mentorship.program.public_id)
    item = selectors.queue_item(item.pk)
    forms_now: dict[str, Any] = {slot: form} if slot and not done else {}
    gone = item.resolved_at is not None or bool(
        item.snoozed_until and item.snoozed_until > timezone.localdate()
    )
    context = _card(
        item, done=done, refused=refused, gone=gone, viewer_zone=request.user.time_zone, **forms_now
    )
    return render(request, f"{PAGE}#card", context)


def _first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return ""


@login_required
@require_POST
def queue_log(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    def log(item: QueueItem, data: dict[str, Any]) -> str:
        queue_services.contact_log(item=item, manager=request.user, **data)
        return _("Contact logged.")

    return _act(request, public_id, ContactForm(request.POST), log, "contact_form")


@login_required
@require_POST
def queue_snooze(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    def snooze(item: QueueItem, data: dict[str, Any]) -> str:
        today = timezone.localdate()
        queue_services.item_snooze(item=item, manager=request.user, days=data["days"], today=today)
        until = formats.date_format(today + dt.timedelta(days=data["days"]), "j F")
        return _("Snoozed until %(date)s.") % {"date": until}

    return _act(request, public_id, SnoozeForm(request.POST), snooze, "snooze_form")


@login_required
@require_POST
def queue_resolve(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    def resolve(item: QueueItem, data: dict[str, Any]) -> str:
        queue_services.item_resolve(item=item, manager=request.user)
        return _("Marked resolved.")

    return _act(request, public_id, forms.Form(request.POST), resolve)
