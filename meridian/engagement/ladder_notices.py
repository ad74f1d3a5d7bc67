"""What the ladder tells people (``ladder.py`` decides when): one notice per person and
step, keyed by the pair, the episode, the step and the person, so a second run stores
nothing. Each returns how many notices it stored. Times are written in the recipient's
zone and language (the email names the zone)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.engagement import links, notices, pair_words, queue_alerts
from meridian.engagement.models import Escalation, Health
from meridian.mentorships.models import Member, Mentorship, UnresponsiveReport
from meridian.messaging.notifications import language_of
from meridian.scheduling import finder

SLOTS = 3  # the issue: "three mutual slots to pick from"
SLOT_WEEKS = 2


def top_reason(health: Health) -> str:
    return str((health.reasons or [_("Your contact has slowed down.")])[0])


def quiet_reason(days: int) -> str:
    return _("No contact between the pair for %(days)d days: closure proposed.") % {"days": days}


def rematch_after_contact() -> str:
    return _("Still at risk a week after a manager’s contact: consider a new match.")


def rematch_unresponsive(report: UnresponsiveReport, days: int) -> str:
    return _(
        "The %(role)s reported an unresponsive partner %(days)d or more days ago and has not heard since."
    ) % {
        "role": report.get_reporter_role_display().lower(),
        "days": days,
    }


def _key(esc: Escalation, user: User) -> str:
    return f"ladder:{esc.mentorship_id}:{esc.episode}:{esc.step}:{user.pk}"


def _names(members: Sequence[Member], but: User) -> str:
    return ", ".join(m.user.name for m in members if m.user_id != but.pk)


def three_slots(people: Sequence[User], viewer: User, minutes: int) -> list[dt.datetime]:
    """Three mutual starts in the next two weeks, the best hours first, on different days
    where there are enough (UTC)."""
    found = finder.for_members(people, viewer, weeks=SLOT_WEEKS, minutes=minutes)
    views = sorted((s for d in found.days for s in d.slots if s.starts), key=lambda s: (not s.best, s.start))
    picked: list[dt.datetime] = []
    days: set[dt.date] = set()
    for view in views:
        if len(picked) < SLOTS and view.start.date() not in days:
            picked.append(view.starts[0])
            days.add(view.start.date())
    for view in views:
        if len(picked) < SLOTS and view.starts[0] not in picked:
            picked.append(view.starts[0])
    return sorted(picked)


def _when(start: dt.datetime, user: User) -> str:
    """``start`` in ``user``'s zone and language (the email names the zone)."""
    with translation.override(language_of(user)):
        return date_format(start.astimezone(zoneinfo.ZoneInfo(user.time_zone)), "l j F, H:i")


def nudge(
    mentorship: Mentorship,
    members: Sequence[Member],
    gap: str,
    esc: Escalation,
    *,
    today: dt.date,
    last: bool,
) -> int:
    """Tell each member the ``gap`` (a ``pair_words.GAPS`` signal) in words addressed to
    them, from the pair's own facts: never the manager's reason sentence."""
    people = [m.user for m in members]
    facts = pair_words.pair_facts([mentorship.pk])[mentorship.pk]
    sent = 0
    for person in people:
        target = str(mentorship.public_id)
        starts = three_slots(people, person, mentorship.program.meeting_minutes)
        slots = [
            {"when": _when(s, person), "url": links.link(person, "ladder_slot", target, s.isoformat())}
            for s in starts
        ]
        with translation.override(language_of(person)):
            words = pair_words.gap_words(gap, facts, today)
            line = _("Time to meet: %(gap)s") % {"gap": words}
        context: dict[str, Any] = {
            "last": last,
            "gap": words,
            "partner": _names(members, person),
            "slots": slots,
            "met_yes": links.link(person, "ladder_met", target, "yes"),
            "met_no": links.link(person, "ladder_met", target, "no"),
            "meetings_url": absolute_url("scheduling:schedule", mentorship.public_id),
            "url": absolute_url("portal:workspace", mentorship.public_id),
        }
        kind = "last_nudge" if last else "nudge"
        if notices.notify(
            user=person,
            kind=kind,
            key=_key(esc, person),
            template="nudge",
            context=context,
            line=line,
            mentorship=mentorship,
        ):
            sent += 1
    return sent


def _managers(mentorship: Mentorship) -> list[User]:
    return list(mentorship.program.managers.filter(is_active=True))


def _pair_name(mentorship: Mentorship) -> str:
    current = mentorship.members.filter(is_current=True).order_by("-role", "user__name")  # mentor first
    return ", ".join(current.values_list("user__name", flat=True))


def _to_managers(
    mentorship: Mentorship, esc: Escalation, *, kind: str, template: str, context: dict[str, Any], line: str
) -> int:
    sent = 0
    base = {
        "pair": _pair_name(mentorship),
        "program": mentorship.program.name,
        "url": absolute_url("portal:workspace", mentorship.public_id),
        "queue_url": absolute_url("engagement:queue", mentorship.program.public_id),
        **context,
    }
    for manager in _managers(mentorship):
        notice = notices.notify(
            user=manager,
            kind=kind,
            key=_key(esc, manager),
            template=template,
            context=base,
            line=line,
            mentorship=mentorship,
            counts_toward_cap=False,
        )
        if notice is not None:
            queue_alerts.set_aside(notice)  # one email per manager lists the run's pairs
            sent += 1
    return sent


def alert(mentorship: Mentorship, health: Health, esc: Escalation) -> int:
    context = {"band": health.get_band_display(), "reasons": list(health.reasons[:3]), "score": health.score}
    line = _("%(band)s: %(reason)s") % {"band": context["band"], "reason": top_reason(health)}
    return _to_managers(mentorship, esc, kind="alert", template="alert", context=context, line=line)


def rematch(mentorship: Mentorship, why: str, esc: Escalation) -> int:
    return _to_managers(mentorship, esc, kind="rematch", template="rematch", context={"why": why}, line=why)


def closure_proposed(mentorship: Mentorship, members: Sequence[Member], quiet: int, esc: Escalation) -> int:
    assert esc.due_on is not None
    target = str(mentorship.public_id)
    common = {"days": quiet, "due_on": esc.due_on.isoformat(), "due": date_format(esc.due_on, "l j F Y")}
    sent = 0
    for member in members:
        person = member.user
        context = {
            **common,
            "manager": False,
            "partner": _names(members, person),
            "going_yes": links.link(person, "ladder_going", target, "yes"),
            "going_no": links.link(person, "ladder_going", target, "no"),
            "url": absolute_url("portal:workspace", mentorship.public_id),
        }
        line = ngettext(
            "No contact for %(n)d day: your mentorship closes on %(due)s unless you answer.",
            "No contact for %(n)d days: your mentorship closes on %(due)s unless you answer.",
            quiet,
        ) % {"n": quiet, "due": common["due"]}
        if notices.notify(
            user=person,
            kind="closure",
            key=_key(esc, person),
            template="closure-proposed",
            context=context,
            line=line,
            mentorship=mentorship,
            counts_toward_cap=False,
        ):
            sent += 1
    line = quiet_reason(quiet)
    return sent + _to_managers(
        mentorship,
        esc,
        kind="closure",
        template="closure-proposed",
        context={**common, "manager": True},
        line=line,
    )


def closed(mentorship: Mentorship, members: Sequence[Member], proposal: Escalation) -> int:
    esc = Escalation.objects.get(mentorship=mentorship, episode=proposal.episode, step="closed")
    sent = 0
    for member in members:
        person = member.user
        context = {
            "manager": False,
            "partner": _names(members, person),
            "url": absolute_url("mentorships:close", mentorship.public_id),
        }
        if notices.notify(
            user=person,
            kind="closed",
            key=_key(esc, person),
            template="closure-closed",
            context=context,
            line=_("Your mentorship has closed: tell us how it went."),
            mentorship=mentorship,
            counts_toward_cap=False,
        ):
            sent += 1
    pair = ", ".join(m.user.name for m in members)
    line = _("%(pair)s: closed after notice, nobody answered.") % {"pair": pair}
    return sent + _to_managers(
        mentorship,
        esc,
        kind="closed",
        template="closure-closed",
        context={"manager": True, "pair": pair},
        line=line,
    )
