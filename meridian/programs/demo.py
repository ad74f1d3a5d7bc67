"""A believable demo organisation, loaded through the same import as real files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from matching_engine.model import Participant, Role
from meridian.accounts.models import User
from meridian.programs.importing import participants_import
from meridian.programs.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    MatchingMode,
    Program,
    ProgramKind,
)

DEMO_PASSWORD = "meridian-demo"
DEMO_PROGRAMS = ("grow-together", "leadership-circles")


@dataclass(frozen=True)
class DemoLogins:
    administrator: str
    manager: str
    mentor: str
    mentee: str


def demo_seed(*, people: list[Participant], today: dt.date | None = None) -> DemoLogins | None:
    """Two programs, three cohorts (one running), everyone enrolled somewhere, and one
    login per role with the demo password."""
    today = today or timezone.localdate()
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        _staff("admin@meridian.example", "Ada Okafor", password, is_staff=True)
        manager = _staff("programs@meridian.example", "Sofia Lindqvist", password, can_create_programs=True)
        running, autumn, circles = _programs(manager, today)
        groups = _split(people)
        for cohort, members in ((running, groups[0]), (autumn, groups[1]), (circles, groups[2])):
            report = participants_import(cohort=cohort, people=members, actor=manager, password_hash=password)
            if not report.ok:
                raise ValueError("; ".join(str(e) for e in report.errors[:5]))
        _applications_waiting(autumn)
    return demo_logins()


def demo_logins() -> DemoLogins | None:
    """The demo's sign-ins, read back from the database (None if no demo is loaded)."""
    running = Enrollment.objects.filter(cohort__slug="spring-2026", cohort__program__slug="grow-together")
    mentors = running.filter(role=Role.MENTOR).order_by("pk").select_related("user")
    mentor = mentors.filter(memberships__is_current=True).first() or mentors.first()
    mentees = running.filter(role=Role.MENTEE).order_by("pk").select_related("user")
    # A mentee who has a mentor once the demo is matched (any mentee before that).
    mentee = mentees.filter(memberships__is_current=True).first() or mentees.first()
    admin = User.objects.filter(email="admin@meridian.example").first()
    manager = User.objects.filter(email="programs@meridian.example").first()
    if not (mentor and mentee and admin and manager):
        return None
    return DemoLogins(admin.email, manager.email, mentor.user.email, mentee.user.email)


def _staff(email: str, name: str, password: str, **flags: bool) -> User:
    user, _created = User.objects.update_or_create(
        email=email, defaults={"name": name, "password": password, "time_zone": "Europe/London", **flags}
    )
    if flags.get("is_staff"):
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _programs(manager: User, today: dt.date) -> tuple[Cohort, Cohort, Cohort]:
    one = Program.objects.create(
        name="Grow Together",
        slug="grow-together",
        kind=ProgramKind.ONE_TO_ONE,
        matching_mode=MatchingMode.BOTH,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=300),
        cadence_weeks=2,
        meeting_minutes=45,
        description="Our company-wide one-to-one program: a mentor from another team, "
        "a conversation every two weeks, six months to grow a skill you choose.",
    )
    group = Program.objects.create(
        name="Leadership Circles",
        slug="leadership-circles",
        kind=ProgramKind.GROUP,
        matching_mode=MatchingMode.MANAGER,
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=200),
        cadence_weeks=4,
        meeting_minutes=60,
        group_size=4,
        separate_departments=True,
        description="Small groups of new managers with an experienced leader, meeting monthly.",
    )
    for program in (one, group):
        program.managers.add(manager)
    return (
        _cohort(one, "Spring 2026", "spring-2026", today - dt.timedelta(days=60), 180, CohortStatus.RUNNING),
        _cohort(one, "Autumn 2026", "autumn-2026", today + dt.timedelta(days=30), 180, CohortStatus.OPEN),
        _cohort(group, "Circle 1", "circle-1", today + dt.timedelta(days=14), 180, CohortStatus.OPEN),
    )


def _cohort(program: Program, name: str, slug: str, starts: dt.date, days: int, status: str) -> Cohort:
    return Cohort.objects.create(
        program=program,
        name=name,
        slug=slug,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days),
        status=status,
    )


def _split(people: list[Participant]) -> tuple[list[Participant], list[Participant], list[Participant]]:
    """Half run in spring, a third are in autumn, the rest form the circles. A manager
    outside a group is dropped from that group's file (the file names only its own people)."""
    first, second = len(people) // 2, len(people) * 5 // 6
    return tuple(_closed(group) for group in (people[:first], people[first:second], people[second:]))  # type: ignore[return-value]


def _closed(group: list[Participant]) -> list[Participant]:
    ids = {p.id for p in group}
    return [
        replace(
            p,
            manager_id=p.manager_id if p.manager_id in ids else "",
            exclude_ids=tuple(i for i in p.exclude_ids if i in ids),
        )
        for p in group
    ]


def _applications_waiting(cohort: Cohort) -> None:
    """A third of the autumn cohort applied themselves and wait for the manager."""
    rows = Enrollment.objects.filter(cohort=cohort).order_by("pk").values_list("pk", flat=True)
    waiting = list(rows)[::3]
    Enrollment.objects.filter(pk__in=waiting).update(
        status=EnrollmentStatus.APPLIED, source=EnrollmentSource.APPLICATION, decided_at=None, decided_by=None
    )
