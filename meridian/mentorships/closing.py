"""Closing a mentorship (D7) and a mentee's request to be matched again (B7).

Either current member closes it, completed (at the cohort's end) or ended early, with a
category and their reflection; the others are told (email through the outbox, and on
their home). Its members stop being current, so the mentee may be matched again, and
each mentee's former mentors go on their "never match with" list (``Enrollment.excluded``,
which matching and self-select recommendations honour). The reflections are the pair's
alone; the program's managers see the closure: when, by whom (role) and the category.

Meetings still to come are cancelled with it by the scheduling app, a higher layer, which
listens for ``mentorship_closing`` (sent inside the same transaction)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.core.emails import send_templated
from meridian.core.errors import Conflict, MeridianError
from meridian.core.links import absolute_url
from meridian.mentorships.models import (
    CloseReason,
    Closure,
    Member,
    Mentorship,
    MentorshipKind,
    MentorshipStatus,
    Recommend,
    Reflection,
)
from meridian.programs.models import MatchingMode, Role

MAX_TEXT = 2000
END_WINDOW = dt.timedelta(days=14)  # "completed" from two weeks before the cohort's end
OUTCOMES = (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED)

# Sent inside the closing transaction while the members are still current, so that apps
# above (scheduling: the meetings still to come) close their part with it, all or nothing.
# Arguments: mentorship (locked) and user (who closes it).
mentorship_closing = Signal()


@dataclass(frozen=True)
class Thoughts:
    """A reflection as typed: what was achieved, what next, would you recommend it."""

    achieved: str = ""
    next_steps: str = ""
    recommend: str = ""


def clean_text(text: str, field: str) -> str:
    if "\x00" in text:
        raise MeridianError(_("This text contains a character that cannot be stored."), field=field)
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise MeridianError(_("Keep this to %(n)d characters.") % {"n": MAX_TEXT}, field=field)
    return text


def may_complete(mentorship: Mentorship, today: dt.date | None = None) -> bool:
    """A pair marks it completed at the cohort's end (from two weeks before it)."""
    today = today or timezone.localdate()
    return bool(mentorship.cohort.status == "closed" or today >= mentorship.cohort.ends_on - END_WINDOW)


def rematch_by_manager(mentorship: Mentorship) -> bool:
    """Does a manager confirm the new mentor (else the mentee chooses again: self-select)?"""
    return bool(mentorship.program.matching_mode != MatchingMode.SELF_SELECT)


def _reflection(closure: Closure, user: Any, role: str, thoughts: Thoughts) -> Reflection:
    if thoughts.recommend not in Recommend.values:
        raise MeridianError(_("Say whether you would recommend it."), field="recommend")
    achieved = clean_text(thoughts.achieved, "achieved")
    next_steps = clean_text(thoughts.next_steps, "next_steps")
    if not achieved:
        raise MeridianError(_("Say in a few words what was achieved."), field="achieved")
    return Reflection.objects.create(
        closure=closure,
        author=user,
        role=role,
        achieved=achieved,
        next_steps=next_steps,
        recommend=thoughts.recommend,
    )


def mentorship_close(
    *,
    mentorship: Mentorship,
    user: Any,
    outcome: str,
    reason: str,
    thoughts: Thoughts,
    rematch: bool = False,
) -> Closure:
    """Close ``mentorship`` for everyone in it, all or nothing; see the module's text."""
    if outcome not in OUTCOMES:
        raise MeridianError(_("Say whether it is completed or ends early."), field="outcome")
    if reason not in CloseReason.values:
        raise MeridianError(_("Pick why it ends."), field="reason")
    with transaction.atomic():
        locked = (
            Mentorship.objects.select_for_update().select_related("program", "cohort").get(pk=mentorship.pk)
        )
        if locked.status in OUTCOMES:
            raise Conflict(_("This mentorship is already closed."))
        if not permissions.takes_part(user, locked):
            raise MeridianError(_("Only the people in this mentorship close it."))
        members = list(
            Member.objects.filter(mentorship=locked, is_current=True).select_related("user", "enrollment")
        )
        me = next(m for m in members if m.user_id == user.pk)
        if locked.kind == MentorshipKind.GROUP and me.role != Role.MENTOR:
            raise MeridianError(_("A group is closed by its mentor; tell the program team if you leave it."))
        if outcome == MentorshipStatus.COMPLETED and not may_complete(locked):
            raise MeridianError(
                _("It can be marked completed from two weeks before the cohort ends; choose “ends early”."),
                field="outcome",
            )
        if rematch and (outcome != MentorshipStatus.ENDED or me.role != Role.MENTEE):
            raise MeridianError(
                _("Only a mentee whose mentorship ends early asks for a new mentor."), field="rematch"
            )
        try:
            with transaction.atomic():
                closure = Closure.objects.create(
                    mentorship=locked,
                    closed_by=user,
                    closed_by_role=me.role,
                    reason=reason,
                    rematch_requested_at=timezone.now() if rematch and rematch_by_manager(locked) else None,
                )
        except IntegrityError:
            raise Conflict(_("This mentorship is already closed.")) from None
        closure.members.set([m.user for m in members])
        _reflection(closure, user, me.role, thoughts)
        mentorship_closing.send(Mentorship, mentorship=locked, user=user)
        Member.objects.filter(mentorship=locked, is_current=True).update(is_current=False)
        locked.status, locked.ended_on = outcome, timezone.localdate()
        locked.save(update_fields=["status", "ended_on", "updated_at"])
        mentors = [m.user for m in members if m.role == Role.MENTOR]
        for mentee in (m for m in members if m.role == Role.MENTEE):
            mentee.enrollment.excluded.add(*mentors)  # never proposed together again
        for other in (m for m in members if m.user_id != user.pk):
            _tell(closure, locked, person=other.user, by=user, role=me.get_role_display())
    mentorship.status, mentorship.ended_on = locked.status, locked.ended_on
    return closure


def mentorship_close_unanswered(
    *, mentorship: Mentorship, reason: str = CloseReason.NO_CONTACT
) -> Closure | None:
    """The program closes a mentorship whose proposed closure went unanswered (the
    engagement ladder, after its notice): ended early, by no one, with no reflection (each
    member may add theirs afterwards). None when it is closed already."""
    with transaction.atomic():
        locked = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if locked.status in OUTCOMES:
            return None
        members = list(
            Member.objects.filter(mentorship=locked, is_current=True).select_related("user", "enrollment")
        )
        closure = Closure.objects.create(mentorship=locked, closed_by=None, closed_by_role="", reason=reason)
        closure.members.set([m.user for m in members])
        mentorship_closing.send(Mentorship, mentorship=locked, user=None)
        Member.objects.filter(mentorship=locked, is_current=True).update(is_current=False)
        locked.status, locked.ended_on = MentorshipStatus.ENDED, timezone.localdate()
        locked.save(update_fields=["status", "ended_on", "updated_at"])
        mentors = [m.user for m in members if m.role == Role.MENTOR]
        for mentee in (m for m in members if m.role == Role.MENTEE):
            mentee.enrollment.excluded.add(*mentors)
    mentorship.status, mentorship.ended_on = locked.status, locked.ended_on
    return closure


def _tell(closure: Closure, mentorship: Mentorship, *, person: Any, by: Any, role: str) -> None:
    """The partner hears that it closed (stored now, sent after commit); never the reflection."""
    context = {
        "person": person,
        "by": by,
        "role": role,
        "mentorship": mentorship,
        "completed": mentorship.status == MentorshipStatus.COMPLETED,
        "url": absolute_url("mentorships:close", mentorship.public_id),
    }
    send_templated(
        "mentorship_closed", to=[person.email], context=context, key=f"closed-{closure.pk}-{person.pk}"
    )


def reflection_add(*, closure: Closure, user: Any, thoughts: Thoughts) -> Reflection:
    """A member who was in it when it closed adds their own reflection, once."""
    with transaction.atomic():
        if not closure.members.filter(pk=user.pk).exists():
            raise MeridianError(_("Only the people in this mentorship reflect on it."))
        role = (
            Member.objects.filter(mentorship_id=closure.mentorship_id, user=user)
            .values_list("role", flat=True)
            .first()
        )
        if Reflection.objects.filter(closure=closure, author=user).exists():
            raise Conflict(_("You have written your reflection already."))
        try:
            with transaction.atomic():
                return _reflection(closure, user, role or Role.MENTEE, thoughts)
        except IntegrityError:
            raise Conflict(_("You have written your reflection already.")) from None


def rematch_request(*, closure: Closure, user: Any) -> Closure:
    """The mentee of a mentorship that ended early asks to be matched again (after closing)."""
    with transaction.atomic():
        locked = Closure.objects.select_for_update().select_related("mentorship__program").get(pk=closure.pk)
        mentee = Member.objects.filter(mentorship_id=locked.mentorship_id, user=user, role=Role.MENTEE)
        if not (locked.members.filter(pk=user.pk).exists() and mentee.exists()):
            raise MeridianError(_("Only the mentee asks to be matched again."))
        if locked.mentorship.status != MentorshipStatus.ENDED:
            raise MeridianError(_("Only a mentorship that ended early is matched again."))
        if not rematch_by_manager(locked.mentorship):
            raise MeridianError(_("In this program you choose your next mentor yourself."))
        if locked.rematch_requested_at is not None:
            raise Conflict(_("You have asked already; the program team will be in touch."))
        locked.rematch_requested_at = timezone.now()
        locked.save(update_fields=["rematch_requested_at", "updated_at"])
    return locked


def rematch_done(*, closure: Closure, mentorship: Mentorship) -> None:
    """The request is answered: ``mentorship`` is the mentee's new one (in the caller's transaction)."""
    updated = Closure.objects.filter(pk=closure.pk, rematched_as=None).update(
        rematched_as=mentorship, updated_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("A new mentor has been confirmed already."))
