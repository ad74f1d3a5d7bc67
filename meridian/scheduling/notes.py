"""A meeting's texts: the agenda (suggested from the program's conversation guide and the
open action items), the shared notes, the recap and each member's private note. Only a
current member of a current mentorship writes them; refused input raises
:class:`InputRefused` (or :class:`TextConflict`) with a message for the person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meridian.core.text import InputRefused, clean_text, fingerprint
from meridian.scheduling.actions import carried, items_of, require_writer
from meridian.scheduling.guide import topic_for
from meridian.scheduling.models import (
    LIVE_STATES,
    MAX_AGENDA,
    MAX_NOTE,
    ActionItem,
    GuideTopic,
    Meeting,
    PrivateNote,
)

# The texts of a meeting both members write, and their limits (the models' max_length).
TEXT_FIELDS: dict[str, int] = {"agenda": MAX_AGENDA, "shared_notes": MAX_NOTE, "recap": MAX_NOTE}
TEXT_LABELS = {
    "agenda": gettext_lazy("Agenda"),
    "shared_notes": gettext_lazy("Shared notes"),
    "recap": gettext_lazy("Recap"),
    "private": gettext_lazy("My private note"),
}
MAX_CARRIED = 20  # open action items listed in a suggested agenda, then "and N more"


class TextConflict(InputRefused):
    """Someone saved the same text while this person was writing: theirs is ``theirs``."""

    def __init__(self, message: str, theirs: str) -> None:
        super().__init__(message)
        self.theirs = theirs


# ---------------------------------------------------------------- the suggested agenda


def meeting_number(meeting: Meeting) -> int:
    """Which meeting of the mentorship this is: 1 + the live meetings that start before it
    (a meeting without a time yet comes after all of them)."""
    earlier = Meeting.objects.filter(
        mentorship_id=meeting.mentorship_id, status__in=LIVE_STATES, starts_at__isnull=False
    ).exclude(pk=meeting.pk)
    if meeting.starts_at is not None:
        earlier = earlier.filter(
            Q(starts_at__lt=meeting.starts_at) | Q(starts_at=meeting.starts_at, pk__lt=meeting.pk)
        )
    return 1 + earlier.count()


def compose_agenda(topic: GuideTopic | None, carried_over: Sequence[ActionItem]) -> str:
    """The guide's topic, then the open action items from other meetings ("Carried over:")."""
    lines: list[str] = []
    if topic is not None:
        lines += [topic.title, topic.agenda.strip()]
    if carried_over:
        lines += ["", _("Carried over:")] if lines else [_("Carried over:")]
        for item in carried_over[:MAX_CARRIED]:
            who = item.owner.name or item.owner.email
            if item.due_on:
                due = date_format(item.due_on, "j M Y")
                lines.append(
                    _("- %(text)s (%(who)s, due %(due)s)") % {"text": item.text, "who": who, "due": due}
                )
            else:
                lines.append(_("- %(text)s (%(who)s)") % {"text": item.text, "who": who})
        if len(carried_over) > MAX_CARRIED:
            lines.append(_("- and %(n)d more open action items") % {"n": len(carried_over) - MAX_CARRIED})
    return "\n".join(lines).strip()[:MAX_AGENDA]


def suggested_agenda(meeting: Meeting) -> str:
    """The program guide's topic for this meeting's number, then the mentorship's open
    action items from other meetings ("Carried over:"), with owner and due date."""
    return compose_agenda(topic_for(meeting, meeting_number(meeting)), carried(meeting, items_of(meeting)))


# ---------------------------------------------------------------- writes


def meeting_text_save(
    *, meeting: Meeting, user: Any, field: str, text: str, seen: str | None = None
) -> Meeting:
    """Save the agenda, the shared notes or the recap. With ``seen`` (the fingerprint of
    the text the person started from), a save by someone else in between is refused
    with :class:`TextConflict` rather than overwritten."""
    if field not in TEXT_FIELDS:
        raise InputRefused(_("A meeting has no such text."))
    require_writer(user, meeting.mentorship)
    clean = clean_text(text, limit=TEXT_FIELDS[field], what=str(TEXT_LABELS[field]))
    with transaction.atomic():
        rows = Meeting.objects.select_for_update().filter(pk=meeting.pk)
        current = rows.values_list(field, flat=True).first()
        if current is None:
            raise InputRefused(_("This meeting no longer exists."), field=None)
        if seen is not None and seen != fingerprint(current) and current != clean:
            raise TextConflict(
                _(
                    "Someone else saved the %(what)s while you were writing. Your text is still in "
                    "the box and theirs is shown above it: combine them and save again."
                )
                % {"what": str(TEXT_LABELS[field]).lower()},
                theirs=current,
            )
        rows.update(**{field: clean, "updated_at": timezone.now()})
    setattr(meeting, field, clean)
    return meeting


def agenda_use_suggested(*, meeting: Meeting, user: Any) -> Meeting:
    """Make the suggestion the agenda, unless someone wrote one meanwhile."""
    return meeting_text_save(
        meeting=meeting, user=user, field="agenda", text=suggested_agenda(meeting), seen=fingerprint("")
    )


def private_note_save(*, meeting: Meeting, user: Any, text: str) -> PrivateNote | None:
    """The author's own note on the meeting (None once emptied: the row is removed)."""
    require_writer(user, meeting.mentorship)
    clean = clean_text(text, limit=MAX_NOTE, what=str(TEXT_LABELS["private"]))
    mine = PrivateNote.objects.filter(meeting=meeting, author=user)
    with transaction.atomic():
        if not clean:
            mine.delete()
            return None
        if mine.update(text=clean, updated_at=timezone.now()):
            return mine.get()
        try:
            with transaction.atomic():
                return PrivateNote.objects.create(meeting=meeting, author=user, text=clean)
        except IntegrityError:  # the same person saving from two tabs at once
            mine.update(text=clean, updated_at=timezone.now())
            return mine.get()
