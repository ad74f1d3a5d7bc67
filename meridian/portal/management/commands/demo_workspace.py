"""``manage.py demo_workspace``: the demo's printed pair gets a lived-in workspace (after
``demo_matching``; ``demo_messages`` gives it its conversation): the rules of engagement
proposed by the mentor from their shared hours and accepted by the mentee, two goals with
progress, a check-in and a shared link, each made through its app's service."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meridian.mentorships import agreement, checkins, files, goals
from meridian.mentorships.models import AgreementVersion, Mentorship
from meridian.programs.demo import demo_logins

GOALS = (
    ("Lead the data platform migration without being its manager", 40, "Ran the first planning session."),
    ("Give clear, kind feedback in one-to-ones", 25, "Tried the situation-behaviour-impact model twice."),
)
LINK = ("https://hbr.org/2019/03/the-feedback-fallacy", "The article we talked about: feedback as attention.")


class Command(BaseCommand):
    help = "Give the demo pair an agreement, goals, a check-in and a shared link (after demo_matching)."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        pair = None
        if logins is not None:
            pair = (
                Mentorship.objects.filter(members__user__email=logins.mentor, members__is_current=True)
                .filter(members__user__email=logins.mentee)
                .distinct()
                .first()
            )
        if pair is None or AgreementVersion.objects.filter(mentorship=pair).exists():
            self.stdout.write("No demo pair without a workspace here: nothing added.")
            return
        members = list(pair.members.filter(is_current=True).select_related("user__profile"))
        people = {m.role: m.user for m in members}
        mentor, mentee = people["mentor"], people["mentee"]
        terms = agreement.first_draft(pair, mentor, members)
        terms.update(
            channels="Video call, messages here",
            fallback="Phone",
            confidentiality="What we say stays between us.",
        )
        version = agreement.agreement_propose(mentorship=pair, user=mentor, terms=terms)
        agreement.agreement_accept(mentorship=pair, user=mentee, number=version.number)
        for title, progress, comment in GOALS:
            goal = goals.goal_create(mentorship=pair, user=mentee, data=goals.GoalInput(title=title))
            goals.goal_progress(goal=goal, user=mentee, progress=progress, comment=comment)
        checkins.checkin_create(
            mentorship=pair, user=mentee, mood=4, line="Good week: the planning session went well."
        )
        files.shared_link_add(mentorship=pair, user=mentor, url=LINK[0], note=LINK[1])
        self.stdout.write(f"A workspace for {mentor.name} and {mentee.name}.")
