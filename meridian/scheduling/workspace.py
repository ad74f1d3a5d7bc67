"""The meeting workspace: the agenda (suggested from the program's conversation guide),
shared notes, the recap, each member's private note and the mentorship's action items;
and the conversation guide itself.

Reads go through :func:`context_for` (a fixed number of queries). Every write checks the
one access policy again (views already answered 404), validates first and writes all or
nothing; refused input raises :class:`WorkspaceError` with a message for the person."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meridian.core import permissions
from meridian.mentorships.models import Member, Mentorship
from meridian.programs.models import Program
from meridian.programs.selectors import parse_uuid
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
MAX_ACTION = 500  # ActionItem.text
DUE_AHEAD = dt.timedelta(days=731)  # a due date more than two years ahead is a typo
MAX_CARRIED = 20  # open action items listed in a suggested agenda, then "and N more"
GUIDE_NUMBERS = range(1, 53)  # a weekly program runs a year at most


class WorkspaceError(ValueError):
    """Refused input; the message is shown to the person as it is, beside ``field`` when
    it names one of the form's fields."""

    def __init__(self, message: str, *, field: str | None = "text") -> None:
        super().__init__(message)
        self.field = field


class WorkspaceConflict(WorkspaceError):
    """Someone saved the same text while this person was writing: theirs is ``theirs``."""

    def __init__(self, message: str, theirs: str) -> None:
        super().__init__(message)
        self.theirs = theirs


def fingerprint(text: str) -> str:
    """A short digest of the text a form started from, to notice a save in between."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clean_text(text: str, *, limit: int, what: str) -> str:
    """Line endings unified, outer blanks trimmed; NUL bytes, unencodable characters and
    text over ``limit`` characters refused (nothing is cut silently)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise WorkspaceError(
            _("%(what)s contains a NUL character, which cannot be saved. Remove it and try again.")
            % {"what": what}
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WorkspaceError(
            _("%(what)s contains characters that cannot be saved.") % {"what": what}
        ) from None
    text = text.strip()
    if len(text) > limit:
        raise WorkspaceError(
            _("%(what)s is too long: %(n)s characters, at most %(limit)s. Nothing was saved.")
            % {"what": what, "n": f"{len(text):,}", "limit": f"{limit:,}"}
        )
    return text


def _require_writer(user: Any, mentorship: Mentorship) -> None:
    if not permissions.takes_part(user, mentorship):
        raise PermissionDenied


# ---------------------------------------------------------------- access choke points


def get_meeting_for_writer(user: Any, public_id: Any) -> Meeting:
    """The meeting if ``user`` takes part in its mentorship (may write its notes); else 404."""
    meeting = Meeting.objects.select_related("mentorship").filter(public_id=parse_uuid(public_id)).first()
    if meeting is None or not permissions.takes_part(user, meeting.mentorship):
        raise Http404
    return meeting


def get_action_for_writer(user: Any, public_id: Any) -> ActionItem:
    item = (
        ActionItem.objects.select_related("mentorship", "owner", "meeting")
        .filter(public_id=parse_uuid(public_id))
        .first()
    )
    if item is None or not permissions.takes_part(user, item.mentorship):
        raise Http404
    return item


# ---------------------------------------------------------------- reads


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


def _topic(meeting: Meeting, number: int) -> GuideTopic | None:
    return GuideTopic.objects.filter(program__mentorships__id=meeting.mentorship_id, number=number).first()


def _items_of(meeting: Meeting) -> list[ActionItem]:
    """This meeting's action items and every open one of the mentorship: open first, by due date."""
    rows = ActionItem.objects.filter(mentorship_id=meeting.mentorship_id).filter(
        Q(meeting_id=meeting.pk) | Q(done_at__isnull=True)
    )
    return list(
        rows.select_related("owner").order_by(
            F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "created_at", "pk"
        )
    )


def _carried(meeting: Meeting, items: Iterable[ActionItem]) -> list[ActionItem]:
    return [i for i in items if i.done_at is None and i.meeting_id != meeting.pk]


def _compose(topic: GuideTopic | None, carried: Sequence[ActionItem]) -> str:
    lines: list[str] = []
    if topic is not None:
        lines += [topic.title, topic.agenda.strip()]
    if carried:
        lines += ["", _("Carried over:")] if lines else [_("Carried over:")]
        for item in carried[:MAX_CARRIED]:
            who = item.owner.name or item.owner.email
            if item.due_on:
                due = date_format(item.due_on, "j M Y")
                lines.append(
                    _("- %(text)s (%(who)s, due %(due)s)") % {"text": item.text, "who": who, "due": due}
                )
            else:
                lines.append(_("- %(text)s (%(who)s)") % {"text": item.text, "who": who})
        if len(carried) > MAX_CARRIED:
            lines.append(_("- and %(n)d more open action items") % {"n": len(carried) - MAX_CARRIED})
    return "\n".join(lines).strip()[:MAX_AGENDA]


def suggested_agenda(meeting: Meeting) -> str:
    """The program guide's topic for this meeting's number, then the mentorship's open
    action items from other meetings ("Carried over:"), with owner and due date."""
    return _compose(_topic(meeting, meeting_number(meeting)), _carried(meeting, _items_of(meeting)))


@dataclass
class Section:
    """One text of the workspace as the partial shows it; ``form`` is None when read-only."""

    field: str
    label: str
    text: str
    url: str
    form: Any = None
    saved: bool = False
    theirs: str | None = None  # another person's version, after a conflicting save


@dataclass(frozen=True)
class ActionRow:
    item: ActionItem
    overdue: bool
    carried: bool  # open, from another meeting


def action_rows(meeting: Meeting | None, items: Iterable[ActionItem]) -> list[ActionRow]:
    today = timezone.localdate()
    return [
        ActionRow(
            item=i,
            overdue=i.done_at is None and i.due_on is not None and i.due_on < today,
            carried=meeting is not None and i.meeting_id != meeting.pk,
        )
        for i in items
    ]


def context_for(meeting: Meeting, user: Any) -> dict[str, Any] | None:
    """Everything ``scheduling/_workspace.html`` shows to ``user``, or None when they may
    not read this meeting's notes (program managers, administrators, outsiders). Seven
    queries whatever the number of action items."""
    from meridian.scheduling.workspace_forms import ActionForm, PrivateNoteForm, TextForm

    mentorship = meeting.mentorship
    if not permissions.may_read_notes(user, mentorship):
        return None
    can_write = permissions.takes_part(user, mentorship)
    members = list(
        Member.objects.filter(mentorship_id=mentorship.pk).select_related("user").order_by("role", "id")
    )
    items = _items_of(meeting)
    note = PrivateNote.objects.filter(meeting_id=meeting.pk, author_id=user.pk).first()
    number = meeting_number(meeting)
    topic = _topic(meeting, number)
    sections = []
    for field in TEXT_FIELDS:
        text = getattr(meeting, field)
        url = reverse("scheduling:save_text", args=[meeting.public_id, field])
        form = TextForm(field=field, initial={"text": text, "seen": fingerprint(text)}) if can_write else None
        sections.append(Section(field, str(TEXT_LABELS[field]), text, url, form))
    mine = note.text if note else ""
    private = Section(
        "private",
        str(TEXT_LABELS["private"]),
        mine,
        reverse("scheduling:private_note", args=[meeting.public_id]),
        PrivateNoteForm(initial={"text": mine}) if can_write else None,
    )
    current = [m for m in members if m.is_current]
    return {
        "meeting": meeting,
        "number": number,
        "topic": topic,
        "can_write": can_write,
        "suggestion": "" if meeting.agenda else _compose(topic, _carried(meeting, items)),
        "sections": sections,
        "private": private,
        "actions": action_rows(meeting, items),
        "action_form": ActionForm(members=current, user=user) if can_write else None,
        "action_url": reverse("scheduling:add_action", args=[meeting.public_id]),
        "members": members,
    }


def section_of(context: dict[str, Any], field: str) -> Section:
    """The section of ``field`` in a :func:`context_for` result."""
    found: Section = (
        context["private"] if field == "private" else next(s for s in context["sections"] if s.field == field)
    )
    return found


# ---------------------------------------------------------------- writes


def save_text(meeting: Meeting, user: Any, field: str, text: str, *, seen: str | None = None) -> Meeting:
    """Save the agenda, the shared notes or the recap. With ``seen`` (the fingerprint of
    the text the person started from), a save by someone else in between is refused
    with :class:`WorkspaceConflict` rather than overwritten."""
    if field not in TEXT_FIELDS:
        raise WorkspaceError(_("A meeting has no such text."))
    _require_writer(user, meeting.mentorship)
    clean = clean_text(text, limit=TEXT_FIELDS[field], what=str(TEXT_LABELS[field]))
    with transaction.atomic():
        rows = Meeting.objects.select_for_update().filter(pk=meeting.pk)
        current = rows.values_list(field, flat=True).first()
        if current is None:
            raise WorkspaceError(_("This meeting no longer exists."), field=None)
        if seen is not None and seen != fingerprint(current) and current != clean:
            raise WorkspaceConflict(
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


def use_suggested_agenda(meeting: Meeting, user: Any) -> Meeting:
    """Make the suggestion the agenda, unless someone wrote one meanwhile."""
    return save_text(meeting, user, "agenda", suggested_agenda(meeting), seen=fingerprint(""))


def save_private_note(meeting: Meeting, user: Any, text: str) -> PrivateNote | None:
    """The author's own note on the meeting (None once emptied: the row is removed)."""
    _require_writer(user, meeting.mentorship)
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


def check_due(mentorship: Mentorship, due_on: dt.date | None) -> None:
    if due_on is None:
        return
    if due_on < mentorship.started_on:
        raise WorkspaceError(
            _("The due date is before this mentorship started (%(start)s).")
            % {"start": date_format(mentorship.started_on, "j M Y")},
            field="due_on",
        )
    if due_on > timezone.localdate() + DUE_AHEAD:
        raise WorkspaceError(_("The due date is more than two years ahead. Check the year."), field="due_on")


@transaction.atomic
def add_action(
    mentorship: Mentorship, meeting: Meeting | None, user: Any, text: str, owner: Any, due_on: dt.date | None
) -> ActionItem:
    """A new action item: ``owner`` must be a current member; the due date may not lie
    before the mentorship started or more than two years ahead."""
    _require_writer(user, mentorship)
    if meeting is not None and meeting.mentorship_id != mentorship.pk:
        raise WorkspaceError(_("This meeting belongs to another mentorship."), field=None)
    clean = clean_text(text, limit=MAX_ACTION, what=_("The action"))
    if not clean:
        raise WorkspaceError(_("Write what is to be done."))
    if (
        owner is None
        or not Member.objects.filter(mentorship=mentorship, user=owner, is_current=True).exists()
    ):
        raise WorkspaceError(_("The owner must be a current member of this mentorship."), field="owner")
    check_due(mentorship, due_on)
    return ActionItem.objects.create(
        mentorship=mentorship, meeting=meeting, text=clean, owner=owner, due_on=due_on, created_by=user
    )


def set_done(action: ActionItem, user: Any, done: bool) -> ActionItem:
    """Tick or untick; ticking twice keeps the first time it was done."""
    _require_writer(user, action.mentorship)
    rows = ActionItem.objects.filter(pk=action.pk)
    if done:
        rows.filter(done_at__isnull=True).update(done_at=timezone.now(), updated_at=timezone.now())
    else:
        rows.update(done_at=None, updated_at=timezone.now())
    action.done_at = rows.values_list("done_at", flat=True).first()
    return action


def delete_action(action: ActionItem, user: Any) -> None:
    _require_writer(user, action.mentorship)
    ActionItem.objects.filter(pk=action.pk).delete()


# ---------------------------------------------------------------- the conversation guide


@transaction.atomic
def guide_save(program: Program, topics: Sequence[GuideTopic], deleted: Sequence[GuideTopic]) -> None:
    """Save the changed and new topics of ``program``'s guide and remove the deleted ones.
    Changed rows first move out of the way so that two topics may swap numbers."""
    for topic in topics:
        if topic.number not in GUIDE_NUMBERS:
            raise WorkspaceError(_("Meeting numbers run from 1 to 52."), field="number")
    GuideTopic.objects.filter(program=program, pk__in=[t.pk for t in deleted if t.pk]).delete()
    moving = [t.pk for t in topics if t.pk]
    GuideTopic.objects.filter(program=program, pk__in=moving).update(number=F("number") + 1000)
    try:
        with transaction.atomic():
            for topic in topics:
                topic.program = program
                topic.save()
    except IntegrityError:
        raise WorkspaceError(
            _(
                "Two topics have the same meeting number (another manager may have just added "
                "one). Nothing was saved."
            ),
            field=None,
        ) from None


EXAMPLE_GUIDE = [
    (
        "Getting to know each other",
        "- Introductions: career so far, what brought each of us to the program\n"
        "- What each of us hopes to get out of it\n"
        "- How we work together: how often and how we meet, how we reach each other in between\n"
        "- What stays between us, and what we are happy to share",
    ),
    (
        "Goals",
        "- Two or three goals for the program, each specific enough to know when it is reached\n"
        "- Why each goal matters now\n"
        "- First steps and who takes them",
    ),
    (
        "Strengths and blind spots",
        "- Recent feedback: what went well, what did not\n"
        "- Strengths to build on\n"
        "- One skill to practise before the next meeting",
    ),
    (
        "Networks and visibility",
        "- Who knows about your work, and who should\n"
        "- People worth meeting, and how to start the conversation\n"
        "- One introduction the mentor can make",
    ),
    (
        "Progress check",
        "- Where each goal stands; what helped and what got in the way\n"
        "- Do the goals still fit? Adjust them\n"
        "- How our meetings are going: anything to change",
    ),
    (
        "Reflection and next steps",
        "- What changed since our first meeting\n"
        "- What was most useful, and what to keep doing on your own\n"
        "- Staying in touch after the program; feedback for the program team",
    ),
]


def seed_guide(program: Program) -> int:
    """The example six-meeting guide for ``program``, leaving numbers it already has alone.
    Returns how many topics were added."""
    taken = set(GuideTopic.objects.filter(program=program).values_list("number", flat=True))
    new = [
        GuideTopic(program=program, number=n, title=title, agenda=agenda)
        for n, (title, agenda) in enumerate(EXAMPLE_GUIDE, start=1)
        if n not in taken
    ]
    GuideTopic.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
