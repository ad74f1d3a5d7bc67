"""Rules of engagement (D1): how a pair agrees to work, in versions each member accepts.

A member proposes terms (which counts as their acceptance); the version is agreed once
every current member has accepted it; a change is a new version that needs everyone
again. Accepts are serialised by a row lock on the mentorship, so two at once neither
lose an acceptance nor leave an agreed version unmarked."""

from __future__ import annotations

from meridian.mentorships.models import AgreementVersion


def recording_default(mentorship_id: int) -> bool:
    """The agreed answer to "may our sessions be recorded?" (no until one is agreed):
    it pre-fills each meeting's recording consent, still asked per meeting."""
    agreed = (
        AgreementVersion.objects.filter(mentorship_id=mentorship_id, agreed_at__isnull=False)
        .order_by("-number")
        .values_list("may_record", flat=True)
        .first()
    )
    return bool(agreed)
