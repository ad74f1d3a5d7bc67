"""The words of ``health.assess``'s reasons, one sentence per signal, for a program manager:
who ("the mentor", "the mentee") and dates as "12 May". Pure: no Django."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meridian.engagement.health_signals import Finding

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_text(day: dt.date | None) -> str:
    """ "12 May"; the year is left out, as a manager reads this within the year."""
    return f"{day.day} {MONTHS[day.month - 1]}" if day is not None else "an unknown day"


def span_text(days: int) -> str:
    """A length of time: "1 day", "10 days" under a fortnight, "5 weeks" from there on."""
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    return f"{days // 7} weeks"


def cadence_text(days: int) -> str:
    if days == 7:
        return "every week"
    if days % 7 == 0:
        return f"every {days // 7} weeks"
    if 28 <= days <= 31:
        return "every month"
    return "every day" if days == 1 else f"every {days} days"


def _person(who: str | None) -> str:
    return f"the {who}" if who in ("mentor", "mentee") else "someone"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _no_first_meeting(f: Finding) -> str:
    return f"No first meeting yet, {span_text(f.days)} after the start on {day_text(f.on)}."


def _contact_gap(f: Finding) -> str:
    what = "meeting or answered message" if f.detail == "no_contact" else "meeting"
    cadence = cadence_text(f.cadence_days)
    asked = f"they agreed {cadence}" if f.cadence_agreed else f"the program asks for a meeting {cadence}"
    return f"No {what} for {span_text(f.days)}; {asked}."


def _falling_frequency(f: Finding) -> str:
    return (
        f"Meetings are getting rarer: about {span_text(f.days)} apart lately, {cadence_text(f.count)} before."
    )


def _cancellations(f: Finding) -> str:
    mentor, mentee = f.sides
    if f.count in (mentor, mentee):
        who = "mentor" if mentor == f.count else "mentee"
        by = f", {'both' if f.count == 2 else 'all'} by the {who}"
    else:
        parts = [f"{n} by the {side}" for n, side in ((mentor, "mentor"), (mentee, "mentee")) if n]
        by = ", " + " and ".join(parts) if parts else ""
    return f"{f.count} of the last {f.of} meetings were {f.detail}{by}."


def _unanswered(f: Finding) -> str:
    if f.count >= 2:
        return f"{_person(f.who)}'s {f.count} messages since {day_text(f.on)} are unanswered."
    return f"{_person(f.who)}'s message of {day_text(f.on)} is unanswered."


def _one_sided(f: Finding) -> str:
    return f"{_person(f.who)} wrote {f.count} of the last {f.of} messages."


def _no_goals(f: Finding) -> str:
    return f"No goal set, {span_text(f.days)} after the start."


def _low_pulse(f: Finding) -> str:
    return f"{_person(f.who)} rated the relationship {f.count} of 5 on {day_text(f.on)}."


def _continue_no(f: Finding) -> str:
    return f"{_person(f.who)} said on {day_text(f.on)} they do not want to continue."


def _report_unresponsive(f: Finding) -> str:
    if f.who not in ("mentor", "mentee"):
        return f"A report on {day_text(f.on)} says a partner does not respond."
    partner = "mentee" if f.who == "mentor" else "mentor"
    return f"The {f.who} reported on {day_text(f.on)} that the {partner} does not respond."


def _request_end(f: Finding) -> str:
    wish = "to be re-matched" if f.detail == "rematch" else "to end the relationship"
    return f"{_person(f.who)} asked on {day_text(f.on)} {wish}."


def _manager_unanswered(f: Finding) -> str:
    return f"Nobody has answered the manager's contact of {day_text(f.on)}."


WORDING: dict[str, Callable[[Finding], str]] = {
    "no_first_meeting": _no_first_meeting,
    "contact_gap": _contact_gap,
    "falling_frequency": _falling_frequency,
    "cancellations": _cancellations,
    "unanswered": _unanswered,
    "one_sided": _one_sided,
    "no_goals": _no_goals,
    "low_pulse": _low_pulse,
    "continue_no": _continue_no,
    "report_unresponsive": _report_unresponsive,
    "request_end": _request_end,
    "manager_unanswered": _manager_unanswered,
}


def reason_text(finding: Finding) -> str:
    """The sentence a program manager reads for one finding."""
    return _sentence(WORDING[finding.code](finding))
