"""What the pair itself reads about its slipping contact (the ladder's nudge emails and the
card on its page): worded for the reader from the health's signal codes and the pair's own
facts (the day it started, its agreed cadence, its last meeting), never the manager's
reason sentence.

The manager's reasons name things one side told the program in confidence (a pulse answer,
a report of an unresponsive partner, a wish to end or be re-matched) or what the program
team did (a contact nobody answered). A pair showing any of those signs is not nudged to
meet: the alert and the check-in queue leave it to the manager. Nor is a pair whose story
is one side going quiet (messages unanswered, one side writing all): the reason would name
who, so the manager's queue suggests the next step. The pair is nudged only when its
leading sign is a gap both can see on their own calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meridian.mentorships.models import AgreementVersion, Mentorship
from meridian.scheduling.models import MeetingStatus

# Gaps both sides see on their own calendar: the pair is nudged about these.
GAPS = ("no_first_meeting", "contact_gap", "falling_frequency", "cancellations")
# What one side told the program, or what the program did: never named to the pair, and the
# pair is not nudged while any of these stands (the manager's call).
CONFIDENTIAL = ("low_pulse", "continue_no", "report_unresponsive", "request_end", "manager_unanswered")
# Signs that say which side went quiet: the pair is not nudged when one leads.
WHO = ("unanswered", "one_sided")
MINOR = ("no_goals",)  # too small to lead a nudge, and no reason to withhold one


def leading_gap(signals: Iterable[str] | None) -> str | None:
    """The gap the pair is nudged about (the first of its signals past the minor ones), or
    None when the pair is not to be nudged: no gap leads, or a confidential sign stands
    (any sign not known to be safe counts as one, so a new signal is withheld until it is
    classed here)."""
    codes = [code for code in signals or () if code not in MINOR]
    if not codes or codes[0] not in GAPS:
        return None
    return None if any(code not in GAPS + WHO for code in codes) else codes[0]


@dataclass(frozen=True)
class PairFacts:
    """What the pair's own calendar says: when it started, how often it agreed to meet and
    when it last met (a meeting marked held)."""

    started_on: dt.date
    every_weeks: int
    last_met: dt.datetime | None


def pair_facts(mentorship_ids: Sequence[int]) -> dict[int, PairFacts]:
    """Each mentorship's facts (one query whatever their number): the cadence is the latest
    agreed agreement's, else the program's."""
    agreed = AgreementVersion.objects.filter(mentorship=OuterRef("pk"), agreed_at__isnull=False).order_by(
        "-number"
    )
    rows = (
        Mentorship.objects.filter(pk__in=mentorship_ids)
        .annotate(
            agreed_weeks=Subquery(agreed.values("every_weeks")[:1]),
            last_met=Max("meetings__starts_at", filter=Q(meetings__status=MeetingStatus.HELD)),
        )
        .values_list("pk", "started_on", "agreed_weeks", "program__cadence_weeks", "last_met")
    )
    return {
        pk: PairFacts(started_on=started, every_weeks=agreed or weeks or 2, last_met=last)
        for pk, started, agreed, weeks, last in rows
    }


def _span(days: int) -> str:
    if days < 14:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    return ngettext("%(n)d week", "%(n)d weeks", days // 7) % {"n": days // 7}


def _cadence(weeks: int) -> str:
    return ngettext("every week", "every %(n)d weeks", weeks) % {"n": weeks}


def gap_words(signal: str, facts: PairFacts, today: dt.date) -> str:
    """The gap in words addressed to the reader, in the active language."""
    every = _cadence(facts.every_weeks)
    if signal == "no_first_meeting" or facts.last_met is None:
        return _("You haven't had your first meeting yet: your mentorship started on %(day)s.") % {
            "day": date_format(facts.started_on, "j F")
        }
    if signal == "falling_frequency":
        return _("Your meetings have been further apart lately; you agreed to meet %(every)s.") % {
            "every": every
        }
    if signal == "cancellations":
        return _("Several of your recent meetings did not take place; you agreed to meet %(every)s.") % {
            "every": every
        }
    days = max(0, (today - facts.last_met.date()).days)
    return _("It's been %(span)s since you last met; you agreed to meet %(every)s.") % {
        "span": _span(days),
        "every": every,
    }
