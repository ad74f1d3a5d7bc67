"""The pulse survey: three questions ("how is it going?" 1-5, "did you meet as agreed?",
"do you want to continue?") to every current member of a running relationship at day 14,
day 30 and then every 60 days (90, 150, ...), each answerable alone in one click from the
email, on the relationship's page or through the API, while the pulse is open (two weeks).

``plan(now=)`` (called by the reminders run) opens the pulses that have fallen due, for
every relationship at once in a fixed number of queries, and leaves one notice per new
pulse. A program that turned the pulse off (``LadderSettings.pulse``) gets none; a point
that falls in a pause (or while the mentorship is paused) is skipped: the next one comes.
A run that was down catches up on a point for ``GRACE_DAYS``, not later.

The answers are the person's own: the partner never sees them; the program's managers
read them in the health reasons (``history.py`` reads the Pulse rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meridian.accounts.models import User
from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.core.links import absolute_url
from meridian.engagement import links, notices
from meridian.engagement.models import Continue, Met, Notice, Pause, Pulse
from meridian.mentorships.models import Member, Mentorship, MentorshipStatus
from meridian.messaging.notifications import language_of

FIRST_DAY = 14  # the issue: day 14 (the first two weeks decide whether a pair gets going)
SECOND_DAY = 30  # the issue: day 30
EVERY_DAYS = 60  # the issue: then every 60 days
GRACE_DAYS = 7  # our choice: a run that was down sends a point up to a week late, not later
OPEN_DAYS = links.DAYS  # answers are taken for two weeks, as long as the email's links work
RATINGS = (1, 2, 3, 4, 5)
RATING_LABELS = {
    1: gettext_lazy("1: badly"),
    2: gettext_lazy("2: not so well"),
    3: gettext_lazy("3: all right"),
    4: gettext_lazy("4: well"),
    5: gettext_lazy("5: very well"),
}
# What a person who does not want to continue reads next (the link's page, the card).
NEXT_STEPS = gettext_lazy(
    "The program's managers will be in touch to talk it over; nothing ends automatically. "
    "If you have decided, you can close the mentorship yourself."
)


def due_day(number: int) -> int:
    """Days after the start when pulse ``number`` (1, 2, ...) falls due."""
    if number == 1:
        return FIRST_DAY
    return SECOND_DAY + EVERY_DAYS * (number - 2)


def number_due(days: int) -> int | None:
    """The latest pulse number due ``days`` after the start (None before day 14)."""
    if days < FIRST_DAY:
        return None
    if days < SECOND_DAY:
        return 1
    return 2 + (days - SECOND_DAY) // EVERY_DAYS


def closes_at(pulse: Pulse) -> dt.datetime:
    """When the pulse stops taking answers: two weeks after it was sent."""
    opened = pulse.sent_at or dt.datetime.combine(pulse.due_on, dt.time(), tzinfo=dt.UTC)
    return opened + dt.timedelta(days=OPEN_DAYS)


def is_open(pulse: Pulse, now: dt.datetime) -> bool:
    return now < closes_at(pulse)


# ---------------------------------------------------------------- planning


def plan(*, now: dt.datetime) -> Counter[str]:
    """Open the pulses that fall due and notify their people."""
    done: Counter[str] = Counter()
    today = now.astimezone(dt.UTC).date()
    windows = _due_windows(today)
    if windows is None:
        return done
    members = list(
        Member.objects.filter(
            windows,
            is_current=True,
            user__is_active=True,
            mentorship__status=MentorshipStatus.ACTIVE,
        )
        .exclude(mentorship__program__ladder__pulse=False)
        .select_related("mentorship", "user__profile")
        .order_by("mentorship_id", "role", "id")
    )
    if not members:
        return done
    ids = {m.mentorship_id for m in members}
    paused = _paused(ids, today)
    asked = set(Pulse.objects.filter(mentorship_id__in=ids).values_list("mentorship_id", "user_id", "number"))
    names: dict[int, list[tuple[int, str]]] = {}
    for m in members:
        names.setdefault(m.mentorship_id, []).append((m.user_id, m.user.name))

    new: list[tuple[Pulse, Member]] = []
    for m in members:
        number = number_due((today - m.mentorship.started_on).days)
        if number is None:
            continue
        due_on = m.mentorship.started_on + dt.timedelta(days=due_day(number))
        if (m.mentorship_id, m.user_id, number) in asked or _in_pause(
            paused.get(m.mentorship_id), due_on, today
        ):
            done["skipped"] += 1
            continue
        row = Pulse(
            mentorship=m.mentorship, user=m.user, role=m.role, number=number, due_on=due_on, sent_at=now
        )
        new.append((row, m))
    if not new:
        return done
    try:
        with transaction.atomic():
            Pulse.objects.bulk_create([row for row, _m in new])
            notices.notify_many(
                _notice(row, m.user, [name for uid, name in names[m.mentorship_id] if uid != m.user_id], now)
                for row, m in new
            )
    except IntegrityError:
        done["raced"] += 1  # another run opened them at the same moment: it notified
        return done
    done["pulses"] = len(new)
    return done


def _due_windows(today: dt.date) -> Q | None:
    """Mentorships whose latest point fell due in the last ``GRACE_DAYS`` (one start range
    per pulse number, back to the oldest running mentorship's start)."""
    oldest = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).aggregate(o=Min("started_on"))["o"]
    if oldest is None:
        return None
    windows = Q(pk__in=[])
    number = 1
    while today - dt.timedelta(days=due_day(number)) >= oldest:
        last = today - dt.timedelta(days=due_day(number))
        windows |= Q(mentorship__started_on__range=(last - dt.timedelta(days=GRACE_DAYS), last))
        number += 1
    return windows


def _paused(ids: set[int], today: dt.date) -> dict[int, list[tuple[dt.date, dt.date]]]:
    found: dict[int, list[tuple[dt.date, dt.date]]] = {}
    rows = Pause.objects.filter(
        mentorship_id__in=ids, starts_on__lte=today, ends_on__gte=today - dt.timedelta(days=GRACE_DAYS)
    ).values_list("mentorship_id", "starts_on", "ends_on")
    for mentorship_id, starts_on, ends_on in rows:
        found.setdefault(mentorship_id, []).append((starts_on, ends_on))
    return found


def _in_pause(pauses: list[tuple[dt.date, dt.date]] | None, due_on: dt.date, today: dt.date) -> bool:
    """Whether a pause covers any day from the point's due date to today."""
    return any(start <= today and end >= due_on for start, end in pauses or [])


def _notice(row: Pulse, user: User, partners: list[str], now: dt.datetime) -> Notice:
    """The pulse's email to ``user`` (unsaved: ``plan`` stores them all in one statement)."""

    def one(choice: str) -> str:
        return links.link(user, "pulse", row.public_id, choice, days=OPEN_DAYS)

    context: dict[str, Any] = {
        "number": row.number,
        "partners": ", ".join(partners),
        "closes_at": closes_at(row).isoformat(),
        "rating_links": [{"n": n, "url": one(f"rating:{n}")} for n in RATINGS],  # labels: below
        "met_links": {value: one(f"met:{value}") for value in Met.values},
        "continue_links": {value: one(f"continue:{value}") for value in Continue.values},
        "page_url": absolute_url("portal:workspace", row.mentorship.public_id),
    }
    with translation.override(language_of(user)):  # the email is rendered in it too
        line = _("A three-question pulse about your mentorship: answer it on your mentorship's page.")
        for item in context["rating_links"]:
            item["label"] = str(RATING_LABELS[item["n"]])
    return Notice(
        user=user,
        kind="pulse",
        key=f"pulse:{row.public_id}",
        template="pulse",
        context=context,
        line=line,
        mentorship=row.mentorship,
        due_at=now,
    )


# ---------------------------------------------------------------- answering


@transaction.atomic
def pulse_answer(
    *,
    pulse: Pulse,
    user: Any,
    rating: int | None = None,
    met: str | None = None,
    wants_continue: str | None = None,
) -> Pulse:
    """Store the person's answers (each question alone or together); later answers change
    earlier ones while the pulse is open. ``answered_at`` is the first answer's moment."""
    now = timezone.now()
    found = (
        Pulse.objects.select_for_update(of=("self",)).select_related("mentorship", "user").get(pk=pulse.pk)
    )
    if found.user_id != getattr(user, "pk", None):
        raise MeridianError(_("This pulse is someone else's: only they answer it."))
    if not permissions.takes_part(user, found.mentorship):
        raise MeridianError(_("This mentorship has ended: its pulse takes no more answers."))
    if not is_open(found, now):
        raise MeridianError(_("This pulse has closed: answers are taken for two weeks."))
    if rating is None and not met and not wants_continue:
        raise MeridianError(_("Pick at least one answer."))
    if rating is not None and rating not in RATINGS:
        raise MeridianError(_("Pick how it is going, from 1 to 5."), field="rating")
    if met and met not in Met.values:
        raise MeridianError(_("Pick yes, partly or no."), field="met")
    if wants_continue and wants_continue not in Continue.values:
        raise MeridianError(_("Pick yes, not sure or no."), field="wants_continue")
    if rating is not None:
        found.rating = rating
    found.met = met or found.met
    found.wants_continue = wants_continue or found.wants_continue
    found.answered_at = found.answered_at or now
    found.save(update_fields=["rating", "met", "wants_continue", "answered_at", "updated_at"])
    return found


def follow_link(*, user: User, target: str, choice: str) -> links.Answer:
    """A one-click answer from the pulse's email (``links.ACTIONS["pulse"]``)."""
    try:
        key = uuid.UUID(target)
    except ValueError:
        raise MeridianError(_("This pulse is not yours to answer.")) from None
    found = Pulse.objects.filter(public_id=key, user=user).first()
    if found is None:
        raise MeridianError(_("This pulse is not yours to answer."))
    question, _sep, value = choice.partition(":")
    if question == "rating" and value.isdigit():
        answered = pulse_answer(pulse=found, user=user, rating=int(value))
    elif question == "met":
        answered = pulse_answer(pulse=found, user=user, met=value)
    elif question == "continue":
        answered = pulse_answer(pulse=found, user=user, wants_continue=value)
    else:
        raise MeridianError(_("This answer is not one of the pulse's."))
    mentorship_id = answered.mentorship.public_id
    if question == "continue" and value == Continue.NO:
        return links.Answer(
            title=_("Thank you for telling us"),
            message=str(NEXT_STEPS),
            next_url=absolute_url("mentorships:close", mentorship_id),
            next_label=_("Close the mentorship"),
        )
    return links.Answer(
        title=_("Thank you: your answer is saved"),
        message=_(
            "Only you and the program team see it, never your partner. The other questions take "
            "one click each in the email, or answer all three on your mentorship's page."
        ),
        next_url=absolute_url("portal:workspace", mentorship_id),
        next_label=_("Open your mentorship"),
    )
