"""Builders for the access matrix's rows of the pair's agreement, check-ins and
unresponsive reports (tests/test_access_matrix.py and the pair's own eight-role matrix in
meridian/mentorships/tests/test_pair_access.py)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

TERMS: dict[str, Any] = {
    "meeting_times": "Mon 09:00-10:00",
    "times_zone": "Europe/London",
    "mentor_replies_within": "48",
    "mentee_replies_within": "24",
    "meeting_minutes": "45",
    "every_weeks": "2",
    "channels": "Video",
    "fallback": "Phone",
    "confidentiality": "Between us",
}


def the_pair(w: SimpleNamespace) -> Any:
    """The mentee and the mentor of cohort A as a pair (made once per world)."""
    from meridian.mentorships.models import Mentorship
    from meridian.mentorships.services import start

    mine = Mentorship.objects.filter(members__enrollment=w.mentee_enrollment).first()
    return mine or start(mentor=w.mentor_enrollment, mentees=[w.mentee_enrollment]).mentorship


def pair_url(suffix: str, *, proposed: bool = False) -> Any:
    """``/mentorships/<the pair>/<suffix>``; with ``proposed``, the mentor has proposed terms."""

    def build(w: SimpleNamespace, user: Any) -> str:
        from meridian.mentorships import agreement
        from meridian.mentorships.models import AgreementVersion

        pair = the_pair(w)
        if proposed and not AgreementVersion.objects.filter(mentorship=pair).exists():
            agreement.agreement_propose(mentorship=pair, user=w.mentor, terms=api_terms(w))
        return f"/mentorships/{pair.public_id}/{suffix}"

    return build


def api_pair_url(suffix: str, *, proposed: bool = False) -> Any:
    page = pair_url(suffix, proposed=proposed)
    return lambda w, user: "/api/v1" + page(w, user)


def api_terms(w: SimpleNamespace) -> dict[str, Any]:
    return {
        **TERMS,
        "mentor_replies_within": 48,
        "mentee_replies_within": 24,
        "meeting_minutes": 45,
        "every_weeks": 2,
        "may_record": False,
    }


def form_terms(w: SimpleNamespace) -> dict[str, Any]:
    return dict(TERMS)


def template_terms(w: SimpleNamespace) -> dict[str, Any]:
    return {k: v for k, v in TERMS.items() if k not in ("meeting_times", "times_zone")}


def accept_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"number": 1}


def checkin_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"mood": 4, "line": "All good"}


def report_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"since": (timezone.localdate() - dt.timedelta(days=3)).isoformat(), "tried": "Two emails"}


def template_url(w: SimpleNamespace, user: Any) -> str:
    return f"/programs/{w.p.public_id}/agreement-template/"
