"""``manage.py demo_matching``: the demo's matching, after ``seed_demo`` loaded its people.

The running cohort gets a published run (its people have their mentorships, without
introduction emails); the leadership circle gets a run waiting for the manager's review."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from meridian.accounts.models import User
from meridian.matching import adapter
from meridian.matching.models import MatchRun
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.runs import run_start
from meridian.programs.demo import running_cohort
from meridian.programs.models import Cohort

MANAGER = "programs@meridian.example"
FOR_REVIEW = ("leadership-circles", "circle-1")


class Command(BaseCommand):
    help = "Match the demo cohorts (after seed_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        manager = User.objects.filter(email=MANAGER).first()
        if manager is None:
            self.stdout.write("No demo organisation here: nothing to match.")
            return
        program, slug = FOR_REVIEW
        circle = Cohort.objects.filter(program__slug=program, slug=slug).select_related("program").first()
        for cohort, publish in ((running_cohort(), True), (circle, False)):
            if cohort is None or MatchRun.objects.filter(cohort=cohort).exists():
                continue
            run = run_start(cohort=cohort, actor=manager, settings=adapter.default_settings(cohort))
            run.refresh_from_db()
            if publish and run.status == "done":
                run_publish(run=run, actor=manager, notify=False)
            self.stdout.write(f"{cohort}: run {run.number}, {run.matched} of {run.mentees} mentees matched.")
