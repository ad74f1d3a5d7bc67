"""A program's conversation guide: one topic per meeting number (a title and an agenda),
which suggests each meeting's agenda; and the example six-meeting guide a program may
start from. Refused input raises :class:`InputRefused`."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from meridian.core.text import InputRefused
from meridian.programs.models import Program
from meridian.scheduling.models import GuideTopic, Meeting

GUIDE_NUMBERS = range(1, 53)  # a weekly program runs a year at most


def topic_for(meeting: Meeting, number: int) -> GuideTopic | None:
    """The topic of the meeting's program for meeting ``number``, if the guide has one."""
    return GuideTopic.objects.filter(program__mentorships__id=meeting.mentorship_id, number=number).first()


@transaction.atomic
def guide_save(*, program: Program, topics: Sequence[GuideTopic], deleted: Sequence[GuideTopic]) -> None:
    """Save the changed and new topics of ``program``'s guide and remove the deleted ones.
    Changed rows first move out of the way so that two topics may swap numbers."""
    for topic in topics:
        if topic.number not in GUIDE_NUMBERS:
            raise InputRefused(_("Meeting numbers run from 1 to 52."), field="number")
    GuideTopic.objects.filter(program=program, pk__in=[t.pk for t in deleted if t.pk]).delete()
    moving = [t.pk for t in topics if t.pk]
    GuideTopic.objects.filter(program=program, pk__in=moving).update(number=F("number") + 1000)
    try:
        with transaction.atomic():
            for topic in topics:
                topic.program = program
                topic.save()
    except IntegrityError:
        raise InputRefused(
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


def guide_seed(*, program: Program) -> int:
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
