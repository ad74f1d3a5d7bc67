"""The programs' emails, one function each: rendered from ``emails/<name>-*`` and stored
in the caller's transaction, sent by a job after commit (``meridian.core.outbox``)."""

from __future__ import annotations

from meridian.core.emails import send_templated
from meridian.core.links import absolute_url
from meridian.programs.models import Enrollment, Invitation


def application_decided(enrollment: Enrollment) -> None:
    """Tell the applicant their application was approved or declined."""
    url = absolute_url("programs:cohort", enrollment.cohort.public_id)
    context = {"enrollment": enrollment, "cohort": enrollment.cohort, "url": url}
    send_templated("application-decided", to=[enrollment.user.email], context=context)


def invitation(invitation: Invitation) -> None:
    """Invite a person to a cohort by the link that carries the invitation's token."""
    url = absolute_url("programs:invitation", invitation.token)
    context = {"invitation": invitation, "cohort": invitation.cohort, "url": url}
    send_templated("invitation", to=[invitation.email], context=context)
