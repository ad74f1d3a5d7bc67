"""What a meeting's page shows of its texts and action items (the panel drawn by
``scheduling/_notes_panel.html``), read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from meridian.core import permissions
from meridian.core.text import fingerprint
from meridian.mentorships.models import Goal, GoalStatus, Member, Mentorship
from meridian.scheduling.actions import action_rows, carried, items_of
from meridian.scheduling.guide import topic_for
from meridian.scheduling.models import Meeting, PrivateNote
from meridian.scheduling.notes import TEXT_FIELDS, TEXT_LABELS, compose_agenda, meeting_number
from meridian.scheduling.notes_forms import ActionForm, PrivateNoteForm, TextForm


@dataclass
class Section:
    """One text of the panel as the partial shows it; ``form`` is None when read-only."""

    field: str
    label: str
    text: str
    url: str
    form: Any = None
    saved: bool = False
    theirs: str | None = None  # another person's version, after a conflicting save


def panel_for(meeting: Meeting, user: Any) -> dict[str, Any] | None:
    """Everything ``scheduling/_notes_panel.html`` shows to ``user``, or None when they may
    not read this meeting's notes (program managers, administrators, outsiders). Seven
    queries whatever the number of action items."""
    mentorship = meeting.mentorship
    if not permissions.may_read_notes(user, mentorship):
        return None
    can_write = permissions.takes_part(user, mentorship)
    members = list(
        Member.objects.filter(mentorship_id=mentorship.pk).select_related("user").order_by("role", "id")
    )
    items = items_of(meeting)
    note = PrivateNote.objects.filter(meeting_id=meeting.pk, author_id=user.pk).first()
    number = meeting_number(meeting)
    topic = topic_for(meeting, number)
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
        "suggestion": "" if meeting.agenda else compose_agenda(topic, carried(meeting, items)),
        "sections": sections,
        "private": private,
        "actions": action_rows(meeting, items),
        "action_form": ActionForm(members=current, user=user, goals=active_goals(mentorship))
        if can_write
        else None,
        "action_url": reverse("scheduling:add_action", args=[meeting.public_id]),
        "members": members,
    }


def active_goals(mentorship: Mentorship) -> Any:
    """The pair's active goals an action item may serve (read when the form is drawn)."""
    return Goal.objects.filter(mentorship=mentorship, status=GoalStatus.ACTIVE).order_by("created_at", "id")


def section_of(panel: dict[str, Any], field: str) -> Section:
    """The section of ``field`` in a :func:`panel_for` result."""
    found: Section = (
        panel["private"] if field == "private" else next(s for s in panel["sections"] if s.field == field)
    )
    return found
