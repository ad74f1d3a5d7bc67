"""A believable, deterministic demo organisation ("Northwind") for demos and benchmarks.

Pure: nothing of Django or ``meridian``. The same arguments always give the same people: everything
comes from one ``random.Random(seed)`` and precomputed tables. For speed the hot path draws only
``rng.random()`` (``choices`` and ``sample`` cost ten times more), and past a few thousand people
availability, hobbies and skills-with-goals are reused from pools of earlier draws, so 100,000 people
take about two seconds of CPU on a slow machine.

The organisation is a real reporting tree: a CEO, one VP per department, then directors, senior
managers, managers and (in large departments) team leads, with spans of 4-10 once the organisation is
big enough to allow them. People live in 15 IANA zones on six continents; names, languages and e-mail
addresses fit where they live, and availability is given in their own local time.
"""

from __future__ import annotations

import bisect
import heapq
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from matching_engine.demo_tables import (
    _CHANNEL_CHOICES,
    _CHANNEL_CUM,
    _CROSS_SKILLS,
    _DAY_START_CUM,
    _DAY_STARTS,
    _DEMO_CAPACITY_CUM,
    _DEPARTMENTS,
    _EARLY_SHARE,
    _EARLY_START,
    _EXCLUDE_SHARE,
    _IC_SENIORITY_CUM,
    _IC_TITLES,
    _INTERESTS,
    _LATE_END,
    _LATE_SHARE,
    _LUNCH,
    _MANAGER_LEVELS,
    _MAX_GROWTH,
    _MAX_SPAN,
    _MENTEE_GOALS,
    _MENTOR_GOALS,
    _MENTOR_WEIGHT,
    _MIN_SPAN,
    _NEXT_STEP_BAND,
    _NEXT_STEPS,
    _OTHER_SKILLS,
    _SAME_TRACK_AS_MANAGER,
    _SAME_ZONE_AS_MANAGER,
    _SENIOR_SKILLS,
    _TOPICS,
    _VALUES,
    _WEEKDAYS,
    _WHEN,
    _WORK_DAY_COUNT_CUM,
    _WORK_DAY_COUNTS,
    _WORKING_DAY,
    _YEARS,
    _ZONE_CUM,
    _ZONES,
    _Culture,
    _Department,
)
from matching_engine.model import Participant, Role, Window

FIRST_ID = 10001
EMAIL_DOMAIN = "northwind.example"

T = TypeVar("T")


# --- Drawing, cheaply -----------------------------------------------------------------------------------


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _weighted(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    return items[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


def _some(rng: random.Random, items: Sequence[T], count: int) -> tuple[T, ...]:
    """``count`` distinct items (``count`` is small next to ``len(items)``)."""
    chosen: list[T] = []
    while len(chosen) < count:
        item = items[int(rng.random() * len(items))]
        if item not in chosen:
            chosen.append(item)
    return tuple(chosen)


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


# --- The reporting tree ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Org:
    """Parallel lists, one entry a person; managers always come before their reports."""

    parent: list[int] = field(default_factory=list)
    seniority: list[int] = field(default_factory=list)
    dept: list[int] = field(default_factory=list)
    track: list[int] = field(default_factory=list)

    def add(self, parent: int, seniority: int, dept: int, track: int) -> int:
        self.parent.append(parent)
        self.seniority.append(seniority)
        self.dept.append(dept)
        self.track.append(track)
        return len(self.parent) - 1


def _build_org(n: int, rng: random.Random) -> _Org:
    org = _Org()
    if n:
        org.add(-1, 10, 0, -1)
    for dept, size in enumerate(_department_sizes(n - 1), start=1):
        _build_department(org, dept, size, rng)
    return org


def _department_sizes(total: int) -> list[int]:
    """Split ``total`` people over the first departments, at least one each."""
    if total <= 0:
        return []
    count = min(len(_DEPARTMENTS) - 1, max(1, total // 6))
    weights = [d.weight for d in _DEPARTMENTS[1 : count + 1]]
    shares = [(total - count) * w / sum(weights) for w in weights]
    sizes = [1 + int(share) for share in shares]
    by_remainder = sorted(range(count), key=lambda i: int(shares[i]) - shares[i])
    for i in by_remainder[: total - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _build_department(org: _Org, dept: int, size: int, rng: random.Random) -> None:
    layers = _layer_plan(size)
    levels = _MANAGER_LEVELS[max(0, len(layers) - 2)]
    parents = [org.add(0, 9, dept, -1)]
    for depth, count in enumerate(layers[1:]):
        level = levels[depth] if depth < len(levels) else 0
        parents = _add_layer(org, parents, count, level, rng)


def _layer_plan(size: int) -> list[int]:
    """Layer sizes from the VP down, growing about geometrically, with spans of at most ten."""
    if size == 1:
        return [1]
    for depth in range(len(_MANAGER_LEVELS)):
        plan = _geometric_plan(size, depth, strict=True)
        if plan:
            return plan
    # Past about a million people spans have to grow beyond ten (seniority has only ten steps).
    return _geometric_plan(size, len(_MANAGER_LEVELS) - 1, strict=False)


def _geometric_plan(size: int, depth: int, *, strict: bool) -> list[int]:
    growth = _growth(size, depth + 1)
    plan = [1]
    for i in range(1, depth + 1):
        plan.append(max(plan[-1], round(growth**i)))
    plan.append(size - sum(plan))
    too_wide = growth > _MAX_GROWTH or plan[-1] > _MAX_SPAN * plan[-2]
    return [] if plan[-1] < plan[-2] or (strict and too_wide) else plan


def _growth(size: int, layers: int) -> float:
    """The ratio q with 1 + q + ... + q**layers == size (bisection)."""
    low, high = 0.0, float(size)
    for _ in range(60):
        mid = (low + high) / 2
        if sum(mid**i for i in range(layers + 1)) < size:
            low = mid
        else:
            high = mid
    return low


def _add_layer(org: _Org, parents: list[int], count: int, level: int, rng: random.Random) -> list[int]:
    """Give ``count`` reports to ``parents``: managers at seniority ``level``, or contributors if 0."""
    children = []
    for parent, span in zip(parents, _spans(len(parents), count, rng), strict=True):
        dept = org.dept[parent]
        for _ in range(span):
            if level >= 6:
                seniority, track = level, _new_track(rng, dept)
            else:
                seniority = level or _ic_seniority(rng, org.seniority[parent] - 1)
                track = _inherit_track(rng, org.track[parent], dept)
            children.append(org.add(parent, seniority, dept, track))
    return children


def _spans(parents: int, children: int, rng: random.Random) -> list[int]:
    """Even spans, then neighbours trade a few reports while staying within 4..10."""
    base, extra = divmod(children, parents)
    spans = [base + (i < extra) for i in range(parents)]
    rng.shuffle(spans)
    for i in range(0, parents - 1, 2):
        room = min(spans[i] - _MIN_SPAN, _MAX_SPAN - spans[i + 1])
        if room > 0:
            shift = _between(rng, 0, room)
            spans[i] -= shift
            spans[i + 1] += shift
    return spans


def _ic_seniority(rng: random.Random, cap: int) -> int:
    cap = min(cap, len(_IC_SENIORITY_CUM))
    return 1 + bisect.bisect(_IC_SENIORITY_CUM, rng.random() * _IC_SENIORITY_CUM[cap - 1])


def _new_track(rng: random.Random, dept: int) -> int:
    return bisect.bisect(_DEPARTMENTS[dept].track_cum, rng.random() * _DEPARTMENTS[dept].track_cum[-1])


def _inherit_track(rng: random.Random, manager_track: int, dept: int) -> int:
    """Teams mostly share their manager's discipline."""
    if manager_track >= 0 and rng.random() < _SAME_TRACK_AS_MANAGER:
        return manager_track
    return _new_track(rng, dept)


def _title(seniority: int, dept: _Department, track: int, leads: bool) -> str:
    if not dept.tracks:
        return "Chief Executive Officer"
    if seniority == 9:
        return dept.head
    t = dept.tracks[track]
    if seniority == 8:
        return f"Director of {t.area}"
    if seniority >= 6:
        return t.senior_manager if seniority == 7 else t.manager
    return f"Lead {t.stem}" if leads else _IC_TITLES[seniority].format(t.stem)


# --- People ---------------------------------------------------------------------------------------------


def generate_people(n: int, *, seed: int = 2026, mentor_share: float = 0.25) -> list[Participant]:
    """``n`` people of the Northwind demo organisation, the same list for the same arguments.

    ``round(n * mentor_share)`` of them are mentors, chosen with a skew towards senior people; the
    rest are mentees. Mentors take 1-3 mentees, mostly 1-2; mentees have capacity 1.
    """
    if n < 0 or not 0.0 <= mentor_share <= 1.0:
        raise ValueError("n must be >= 0 and mentor_share within 0..1")
    return _generate(n, seed, round(n * mentor_share), _demo_capacity)


def generate_cohort(
    mentees: int, mentors: int, *, seed: int = 2026, capacity: tuple[int, int] = (1, 3)
) -> list[Participant]:
    """Exactly ``mentees`` mentees and ``mentors`` mentors of the demo organisation, for benchmarks.

    Mentor capacities are drawn uniformly from the inclusive ``capacity`` range (within 1..50).
    """
    low, high = capacity
    if mentees < 0 or mentors < 0 or not 1 <= low <= high <= 50:
        raise ValueError("counts must be >= 0 and capacity a range within 1..50")
    return _generate(mentees + mentors, seed, mentors, lambda rng: _between(rng, low, high))


def _demo_capacity(rng: random.Random) -> int:
    return _weighted(rng, (1, 2, 3), _DEMO_CAPACITY_CUM)


_Skills = tuple[tuple[str, ...], tuple[str, ...]]
_Profile = tuple[tuple[str, ...], tuple[str, ...], str]  # skills offered, skills wanted, goals

# Past a few thousand people, composite fields come from pools of earlier draws: 100,000 people stay
# fast, and a demo-sized organisation (a few hundred) still has every profile drawn afresh.
_WINDOW_POOL, _HOBBY_POOL, _PROFILE_POOL = 2048, 2048, 128


@dataclass(slots=True)
class _Context:
    rng: random.Random
    org: _Org
    ids: list[str]
    zones: list[int]
    leads: list[bool]
    excludes: dict[int, tuple[str, ...]]
    capacity: Callable[[random.Random], int]
    emails: dict[str, int] = field(default_factory=dict)
    windows: list[tuple[Window, ...]] = field(default_factory=list)
    hobbies: list[_Skills] = field(default_factory=list)
    profiles: dict[tuple[int, bool, int], list[_Profile]] = field(default_factory=dict)


def _pooled(rng: random.Random, pool: list[T], size: int, make: Callable[[random.Random], T]) -> T:
    """A pool entry, or a fresh draw (kept) while the pool is not full."""
    index = int(rng.random() * size)
    if index < len(pool):
        return pool[index]
    pool.append(make(rng))
    return pool[-1]


def _generate(n: int, seed: int, mentors: int, capacity: Callable[[random.Random], int]) -> list[Participant]:
    rng = random.Random(seed)
    org = _build_org(n, rng)
    leads = [False] * n
    for parent in org.parent:
        if parent >= 0:
            leads[parent] = True
    ids = [f"E{FIRST_ID + i}" for i in range(n)]
    zones = _draw_zones(org.parent, rng)
    excludes = _draw_excludes(org.parent, ids, rng)
    is_mentor = _pick_mentors(org.seniority, mentors, rng)
    ctx = _Context(rng, org, ids, zones, leads, excludes, capacity)
    return [_person(ctx, i, is_mentor[i]) for i in range(n)]


def _draw_zones(parents: list[int], rng: random.Random) -> list[int]:
    zones: list[int] = []
    for parent in parents:
        if parent >= 0 and rng.random() < _SAME_ZONE_AS_MANAGER:
            zones.append(zones[parent])
        else:
            zones.append(bisect.bisect(_ZONE_CUM, rng.random() * _ZONE_CUM[-1]))
    return zones


def _draw_excludes(parents: list[int], ids: list[str], rng: random.Random) -> dict[int, tuple[str, ...]]:
    """About 1% already work closely with their manager (the CEO with the first VP)."""
    excludes: dict[int, tuple[str, ...]] = {}
    for i, parent in enumerate(parents):
        if len(ids) > 1 and rng.random() < _EXCLUDE_SHARE:
            excludes[i] = (ids[parent if parent >= 0 else 1],)
    return excludes


def _pick_mentors(seniority: list[int], count: int, rng: random.Random) -> list[bool]:
    """Exactly ``count`` mentors, weighted by seniority (Efraimidis-Spirakis keys)."""
    keys = [rng.random() ** (1.0 / _MENTOR_WEIGHT[s]) for s in seniority]
    chosen = [False] * len(seniority)
    for i in heapq.nlargest(count, range(len(keys)), key=keys.__getitem__):
        chosen[i] = True
    return chosen


def _person(ctx: _Context, i: int, mentor: bool) -> Participant:
    rng, org = ctx.rng, ctx.org
    seniority, parent, dept = org.seniority[i], org.parent[i], org.dept[i]
    zone = _ZONES[ctx.zones[i]]
    culture = _weighted(rng, zone.cultures, zone.cum_weights)
    name, email = _name(ctx, culture)
    profiles = ctx.profiles.setdefault((dept, mentor, seniority), [])
    offered, wanted, goals = _pooled(
        rng, profiles, _PROFILE_POOL, lambda r: _profile(r, mentor, dept, seniority)
    )
    interests, values = _pooled(rng, ctx.hobbies, _HOBBY_POOL, _hobbies)
    return Participant(
        id=ctx.ids[i],
        role=Role.MENTOR if mentor else Role.MENTEE,
        name=name,
        email=email,
        time_zone=zone.name,
        availability=_pooled(rng, ctx.windows, _WINDOW_POOL, _availability),
        title=_title(seniority, _DEPARTMENTS[dept], org.track[i], ctx.leads[i]),
        department=_DEPARTMENTS[dept].name,
        manager_id=ctx.ids[parent] if parent >= 0 else "",
        seniority=seniority,
        languages=_languages(rng, culture),
        skills_offered=offered,
        skills_wanted=wanted,
        interests=interests,
        values=values,
        goals=goals,
        channels=_weighted(rng, _CHANNEL_CHOICES, _CHANNEL_CUM),
        capacity=ctx.capacity(rng) if mentor else 1,
        exclude_ids=ctx.excludes.get(i, ()),
    )


def _profile(rng: random.Random, mentor: bool, dept: int, seniority: int) -> _Profile:
    offered, wanted = (_mentor_skills if mentor else _mentee_skills)(rng, dept, seniority)
    return offered, wanted, _goal(rng, mentor, seniority, _DEPARTMENTS[dept], offered if mentor else wanted)


def _hobbies(rng: random.Random) -> _Skills:
    return _some(rng, _INTERESTS, _between(rng, 1, 4)), _some(rng, _VALUES, _between(rng, 1, 3))


def _name(ctx: _Context, culture: _Culture) -> tuple[str, str]:
    given, given_slug = _pick(ctx.rng, culture.given)
    family, family_slug = _pick(ctx.rng, culture.family)
    local = f"{given_slug}.{family_slug}"
    seen = ctx.emails.get(local, 0) + 1
    ctx.emails[local] = seen
    suffix = str(seen) if seen > 1 else ""  # slugs have no digits, so this never collides
    return f"{given} {family}", f"{local}{suffix}@{EMAIL_DOMAIN}"


def _languages(rng: random.Random, culture: _Culture) -> tuple[str, ...]:
    spoken = ["en"]
    for code, chance in culture.languages:
        if len(spoken) < 3 and rng.random() < chance:
            spoken.append(code)
    return tuple(spoken)


def _mentor_skills(rng: random.Random, dept: int, seniority: int) -> _Skills:
    """3-6 offered (their own field, then general ones; managers offer a leadership one), 0-2 wanted."""
    total = _between(rng, 3, 6)
    general = _between(rng, 1, 2) if total > 3 else _between(rng, 0, 1)
    lead = (_pick(rng, _SENIOR_SKILLS),) if seniority >= 6 and general else ()
    cross = lead + tuple(s for s in _some(rng, _CROSS_SKILLS, general + 2) if s not in lead)
    offered = _some(rng, _DEPARTMENTS[dept].skills, total - general) + cross[:general]
    return offered, cross[general : general + _between(rng, 0, 2)]


def _mentee_skills(rng: random.Random, dept: int, seniority: int) -> _Skills:
    """2-4 wanted (their own field, a general one, sometimes another field's), 1-3 offered."""
    offer, want = _between(rng, 1, 3), _between(rng, 2, 4)
    general = 1 if rng.random() < 0.6 else 0
    other = 1 if want - general > 1 and rng.random() < 0.15 else 0
    own = _some(rng, _DEPARTMENTS[dept].skills, offer + want - general - other)
    wanted = own[offer:] + _some(rng, _CROSS_SKILLS, general) + _some(rng, _OTHER_SKILLS[dept], other)
    return own[:offer], wanted


def _goal(
    rng: random.Random, mentor: bool, seniority: int, dept: _Department, skills: tuple[str, ...]
) -> str:
    template = _pick(rng, _MENTOR_GOALS if mentor else _MENTEE_GOALS)
    return template.format(
        skills=_join(skills[:3]),
        next=_pick(rng, _NEXT_STEPS[_NEXT_STEP_BAND[seniority]]),
        when=_pick(rng, _WHEN),
        years=_YEARS[seniority] + _between(rng, 0, 3),
        field=dept.name.lower().replace("&", "and") if dept.tracks else "leadership roles",
        topic=_pick(rng, _TOPICS),
    )


def _join(items: tuple[str, ...]) -> str:
    if len(items) <= 1:
        return "".join(items) or "my craft"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _availability(rng: random.Random) -> tuple[Window, ...]:
    """2-5 windows in the person's own time, on 15-minute steps, never touching: the morning or
    the afternoon of their working day on 2-4 weekdays, and perhaps an early or a late hour."""
    day_start = _weighted(rng, _DAY_STARTS, _DAY_START_CUM)
    day_end = day_start + _WORKING_DAY
    days = _some(rng, _WEEKDAYS, _weighted(rng, _WORK_DAY_COUNTS, _WORK_DAY_COUNT_CUM))
    windows = []
    for day in days:
        if rng.random() < 0.5:
            windows.append(Window(day, day_start, _LUNCH[0]))
        else:
            windows.append(Window(day, _LUNCH[1], day_end))
    if rng.random() < _EARLY_SHARE and day_start - _EARLY_START >= 60:
        windows.append(Window(_pick(rng, _WEEKDAYS), _EARLY_START, day_start - 15))
    if rng.random() < _LATE_SHARE and len(windows) < 5:
        windows.append(Window(_pick(rng, _WEEKDAYS), day_end + 15, _LATE_END))
    return _apart(windows)


def _apart(windows: list[Window]) -> tuple[Window, ...]:
    """Sorted, with any window that touches or overlaps the one before it dropped."""
    kept: list[Window] = []
    for window in sorted(windows):
        if not kept or kept[-1].weekday < window.weekday or kept[-1].end < window.start:
            kept.append(window)
    return tuple(kept)
