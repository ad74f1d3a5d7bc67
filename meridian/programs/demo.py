"""A believable demo organisation, loaded through the same import as real files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from matching_engine import Participant, Role, Window
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
# More mentors than most companies have, so that the running cohort has a place for almost everyone.
DEMO_MENTOR_SHARE = 0.4
# The printed mentor and mentee: a pair across zones (and a clock change), the first of these found.
CROSS_ZONE_PAIRS = (
    ("Europe/Berlin", "America/Sao_Paulo"),
    ("Europe/London", "Asia/Kolkata"),
    ("Europe/Berlin", "Asia/Kolkata"),
    ("Europe/London", "America/Sao_Paulo"),
    ("America/New_York", "Europe/London"),
    ("America/New_York", "Europe/Berlin"),
)
# People who left their profile half done (the matching lists them as incomplete).
INCOMPLETE_PROFILES = 3


@dataclass(frozen=True)
class DemoLogins:
    administrator: str
    manager: str
    mentor: str
    mentee: str


def demo_seed(*, people: list[Participant], today: dt.date | None = None) -> DemoLogins | None:
    """Two programs and four cohorts with dates around ``today``: one running (started two
    months ago), one opening next month, one finished and the leadership circle about to
    start. Everyone is enrolled somewhere, and there is one login per role with the demo password."""
    today = today or timezone.localdate()
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        _staff("admin@meridian.example", "Ada Okafor", password, is_staff=True)
        manager = _staff("programs@meridian.example", "Sofia Lindqvist", password, can_create_programs=True)
        running, upcoming, finished, circles = _programs(manager, today)
        groups = _split(people)
        running_people = _half_done(groups[0])
        for cohort, members in (
            (running, running_people),
            (upcoming, groups[1]),
            (circles, groups[2]),
            (finished, _returning(running_people)),
        ):
            report = participants_import(cohort=cohort, people=members, actor=manager, password_hash=password)
            if not report.ok:
                raise ValueError("; ".join(str(e) for e in report.errors[:5]))
        _applications_waiting(upcoming)
    return demo_logins()


def demo_logins() -> DemoLogins | None:
    """The demo's sign-ins, read back from the database (None if no demo is loaded)."""
    cohort = running_cohort()
    pair = _cross_zone_pair(cohort) if cohort else None
    if pair is None and cohort is not None:  # not matched yet: the first mentor and mentee
        running = Enrollment.objects.filter(cohort=cohort).order_by("pk").select_related("user")
        first = [running.filter(role=role).first() for role in (Role.MENTOR, Role.MENTEE)]
        pair = (first[0].user, first[1].user) if first[0] and first[1] else None
    admin = User.objects.filter(email="admin@meridian.example").first()
    manager = User.objects.filter(email="programs@meridian.example").first()
    if not (pair and admin and manager):
        return None
    return DemoLogins(admin.email, manager.email, pair[0].email, pair[1].email)


def running_cohort() -> Cohort | None:
    """The demo's running one-to-one cohort."""
    return (
        Cohort.objects.filter(program__slug=DEMO_PROGRAMS[0], status=CohortStatus.RUNNING)
        .select_related("program")
        .order_by("pk")
        .first()
    )


def _cross_zone_pair(cohort: Cohort) -> tuple[User, User] | None:
    """The mentor and mentee of the running cohort's first pair in ``CROSS_ZONE_PAIRS``."""
    enrolled = Enrollment.objects.filter(cohort=cohort, memberships__is_current=True).select_related("user")
    pairs: dict[int, dict[str, User]] = {}
    for enrollment in enrolled.annotate(pair=F("memberships__mentorship_id")).order_by("pair", "pk"):
        pairs.setdefault(getattr(enrollment, "pair"), {})[enrollment.role] = enrollment.user  # noqa: B009
    found = [(p[Role.MENTOR], p[Role.MENTEE]) for p in pairs.values() if len(p) == 2]
    for zones in CROSS_ZONE_PAIRS:
        for mentor, mentee in found:
            if {mentor.time_zone, mentee.time_zone} == set(zones):
                return mentor, mentee
    across = [(a, b) for a, b in found if a.time_zone != b.time_zone]
    chosen = across or found
    return chosen[0] if chosen else None


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


def _programs(manager: User, today: dt.date) -> tuple[Cohort, Cohort, Cohort, Cohort]:
    running_start = today - dt.timedelta(days=60)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    finished_start = running_start - dt.timedelta(days=240)
    one = Program.objects.create(
        name="Grow Together",
        slug=DEMO_PROGRAMS[0],
        kind=ProgramKind.ONE_TO_ONE,
        matching_mode=MatchingMode.BOTH,
        starts_on=finished_start,
        ends_on=next_month + dt.timedelta(days=180),
        cadence_weeks=2,
        meeting_minutes=45,
        description="Our company-wide one-to-one program: a mentor from another team, "
        "a conversation every two weeks, six months to grow a skill you choose.",
    )
    group = Program.objects.create(
        name="Leadership Circles",
        slug=DEMO_PROGRAMS[1],
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
        _cohort(one, running_start, 180, CohortStatus.RUNNING),
        _cohort(one, next_month, 180, CohortStatus.OPEN),
        _cohort(one, finished_start, 180, CohortStatus.CLOSED),
        _cohort(group, today + dt.timedelta(days=14), 180, CohortStatus.OPEN, name="Circle 1"),
    )


def _cohort(program: Program, starts: dt.date, days: int, status: str, name: str = "") -> Cohort:
    """A cohort named after the month it starts ("October 2026") unless ``name`` is given."""
    name = name or starts.strftime("%B %Y")
    return Cohort.objects.create(
        program=program,
        name=name,
        slug=slugify(name),
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=days),
        status=status,
    )


def _split(people: list[Participant]) -> tuple[list[Participant], list[Participant], list[Participant]]:
    """Half run now, a third start next month, the rest form the circles. A manager
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


def _half_done(group: list[Participant]) -> list[Participant]:
    """The last few mentees never finished their profile (no hours, or no languages), or
    offered only an hour nobody else has (Sunday at dawn)."""
    mentees = [i for i, p in enumerate(group) if p.role is Role.MENTEE][-INCOMPLETE_PROFILES:]
    changes = ({"availability": ()}, {"languages": ()}, {"availability": (Window(6, 360, 420),)})
    people = list(group)
    for i, change in zip(mentees, changes, strict=False):
        people[i] = replace(people[i], **change)  # type: ignore[arg-type]
    return people


def _returning(running: list[Participant]) -> list[Participant]:
    """A third of the running cohort took part in the finished one too (the same people,
    the same HR ids)."""
    return _closed(running[1::3])


def _applications_waiting(cohort: Cohort) -> None:
    """A third of the autumn cohort applied themselves and wait for the manager."""
    rows = Enrollment.objects.filter(cohort=cohort).order_by("pk").values_list("pk", flat=True)
    waiting = list(rows)[::3]
    Enrollment.objects.filter(pk__in=waiting).update(
        status=EnrollmentStatus.APPLIED, source=EnrollmentSource.APPLICATION, decided_at=None, decided_by=None
    )
