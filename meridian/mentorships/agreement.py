"""Rules of engagement (D1): how a pair agrees to work, in versions each member accepts.

A member proposes terms (which counts as their acceptance); the version is agreed once
every current member has accepted it; a change is a new version that needs everyone
again. Proposals and accepts lock the mentorship's row first, so two at once neither
lose an acceptance, nor number two versions alike, nor leave an agreed version unmarked;
an accept names the version it read, and a newer one refuses it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from matching_engine import AvailabilityError, format_availability, parse_availability
from meridian.core import permissions
from meridian.core.emails import send_templated
from meridian.core.errors import Conflict, MeridianError
from meridian.core.links import absolute_url
from meridian.core.timezones import zone_names
from meridian.mentorships import weekly
from meridian.mentorships.models import (
    AgreementAcceptance,
    AgreementTemplate,
    AgreementVersion,
    Cadence,
    Member,
    Mentorship,
    ReplyWithin,
)
from meridian.programs.models import Program

TERMS = (
    "meeting_times",
    "times_zone",
    "mentor_replies_within",
    "mentee_replies_within",
    "meeting_minutes",
    "every_weeks",
    "channels",
    "fallback",
    "confidentiality",
    "may_record",
)
MIN_MINUTES, MAX_MINUTES = 15, 240
TEXT_LIMITS = {"meeting_times": 500, "channels": 200, "fallback": 200, "confidentiality": 2000}


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


# ---------------------------------------------------------------- the terms


def clean_terms(terms: dict[str, Any]) -> dict[str, Any]:
    """The terms checked and tidied (every key of ``TERMS``); raises ``MeridianError``
    naming the field. Forms and the API validate first; this is the last word."""
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise MeridianError(f"Unknown terms: {', '.join(sorted(unknown))}.")
    missing = set(TERMS) - set(terms)
    if missing:
        raise MeridianError("Every term needs an answer.", field=sorted(missing)[0])
    clean = dict(terms)
    for name, limit in TEXT_LIMITS.items():
        text = str(clean[name] or "")
        if "\x00" in text:
            raise MeridianError("This text contains a character that cannot be stored.", field=name)
        text = text.strip()
        if len(text) > limit:
            raise MeridianError(f"Keep this to {limit} characters.", field=name)
        clean[name] = text
    try:
        clean["meeting_times"] = format_availability(parse_availability(clean["meeting_times"]))
    except AvailabilityError as error:
        raise MeridianError(str(error), field="meeting_times") from None
    if clean["times_zone"] not in zone_names():
        raise MeridianError("Choose a time zone from the list.", field="times_zone")
    for name in ("mentor_replies_within", "mentee_replies_within"):
        if clean[name] not in ReplyWithin.values:
            raise MeridianError("Choose one of the answers offered.", field=name)
    if clean["every_weeks"] not in Cadence.values:
        raise MeridianError("Choose every 1, 2 or 4 weeks.", field="every_weeks")
    if not MIN_MINUTES <= int(clean["meeting_minutes"]) <= MAX_MINUTES:
        raise MeridianError(
            f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.", field="meeting_minutes"
        )
    clean["may_record"] = bool(clean["may_record"])
    return clean


def terms_of(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in TERMS}


def template_terms(program: Program) -> dict[str, Any]:
    """The program's template, or the house's defaults with the program's meeting length
    and cadence."""
    template = AgreementTemplate.objects.filter(program=program).first()
    if template is not None:
        return terms_of(template)
    terms = terms_of(AgreementTemplate(program=program))  # the house's, with the program's meetings
    if MIN_MINUTES <= program.meeting_minutes <= MAX_MINUTES:
        terms["meeting_minutes"] = program.meeting_minutes
    if program.cadence_weeks in Cadence.values:
        terms["every_weeks"] = program.cadence_weeks
    return terms


def first_draft(mentorship: Mentorship, user: Any, members: list[Member]) -> dict[str, Any]:
    """What a member's first proposal starts from: the latest version, else the program's
    template with the members' shared weekly hours on ``user``'s clock."""
    latest = AgreementVersion.objects.filter(mentorship=mentorship).order_by("-number").first()
    if latest is not None:
        return terms_of(latest)
    terms = template_terms(mentorship.program)
    zone = user.time_zone or "UTC"
    people = [(_availability(m.user), m.user.time_zone) for m in members if m.is_current]
    terms["meeting_times"] = weekly.shared_hours(people, zone, weekly.next_monday(timezone.localdate()))
    terms["times_zone"] = zone
    return terms


def _availability(user: Any) -> str:
    profile = getattr(user, "profile", None)  # an account without a profile has said nothing yet
    return str(profile.availability) if profile is not None else ""


@transaction.atomic
def template_save(*, program: Program, user: Any, terms: dict[str, Any]) -> AgreementTemplate:
    if not permissions.may_manage_program(user, program):
        raise MeridianError("Only the program's managers set its agreement template.")
    clean = clean_terms(terms)
    template, _ = AgreementTemplate.objects.update_or_create(program=program, defaults=clean)
    return template


# ---------------------------------------------------------------- proposing and accepting


def _locked(mentorship: Mentorship) -> Mentorship:
    return Mentorship.objects.select_for_update().get(pk=mentorship.pk)


def _require_member(user: Any, mentorship: Mentorship) -> None:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError("Only the people in this mentorship agree how they work.")


def _current_members(mentorship: Mentorship) -> set[int]:
    return set(
        Member.objects.filter(mentorship=mentorship, is_current=True).values_list("user_id", flat=True)
    )


def _mark_if_agreed(version: AgreementVersion) -> None:
    accepted = set(version.acceptances.values_list("user_id", flat=True))
    if _current_members(version.mentorship) <= accepted and version.agreed_at is None:
        version.agreed_at = timezone.now()
        version.save(update_fields=["agreed_at"])


def agreement_propose(
    *, mentorship: Mentorship, user: Any, terms: dict[str, Any], seen: int | None = None
) -> AgreementVersion:
    """A new version of the terms, accepted by its proposer. ``seen`` is the version the
    proposer read (``None``: none yet); a newer one makes this a ``Conflict``."""
    clean = clean_terms(terms)
    with transaction.atomic():
        mentorship = _locked(mentorship)
        _require_member(user, mentorship)
        latest = AgreementVersion.objects.filter(mentorship=mentorship).order_by("-number").first()
        if latest is not None and seen != latest.number:
            raise Conflict("Someone proposed a change since you opened this page: read it first.")
        if latest is not None and terms_of(latest) == clean:
            raise MeridianError("Nothing changed: accept the current version instead.")
        version = AgreementVersion.objects.create(
            mentorship=mentorship, number=(latest.number if latest else 0) + 1, proposed_by=user, **clean
        )
        AgreementAcceptance.objects.create(version=version, user=user)
        _mark_if_agreed(version)
        _ask_the_others(version, user)
    return version


def _ask_the_others(version: AgreementVersion, proposer: Any) -> None:
    """An email to each other current member: read the version and accept it (through the
    outbox: stored in this transaction, sent after commit, once per version and person)."""
    url = absolute_url("mentorships:agreement", version.mentorship.public_id)
    others = Member.objects.filter(mentorship=version.mentorship, is_current=True).exclude(user=proposer)
    for member in others.select_related("user"):
        person = member.user
        context = {"version": version, "proposer": proposer, "person": person, "url": url}
        send_templated(
            "agreement_proposed",
            to=[person.email],
            context=context,
            key=f"agreement-{version.pk}-{person.pk}",
        )


def agreement_accept(*, mentorship: Mentorship, user: Any, number: int) -> AgreementVersion:
    """Accept version ``number``, the one the member read; it must still be the latest."""
    with transaction.atomic():
        mentorship = _locked(mentorship)
        _require_member(user, mentorship)
        latest = AgreementVersion.objects.filter(mentorship=mentorship).order_by("-number").first()
        if latest is None:
            raise MeridianError("There is nothing to accept yet: propose how you will work.")
        if latest.number != number:
            raise Conflict("The agreement changed since you opened it: read the new version first.")
        if latest.acceptances.filter(user=user).exists():
            raise MeridianError("You have already accepted this version.")
        AgreementAcceptance.objects.create(version=latest, user=user)
        _mark_if_agreed(latest)
    return latest


# ---------------------------------------------------------------- reading


@dataclass
class AgreementState:
    """Where a mentorship's agreement stands, for one viewer."""

    latest: AgreementVersion | None
    agreed: AgreementVersion | None  # the newest version everyone accepted
    waiting_for: list[Any] = field(default_factory=list)  # current members yet to accept the latest
    versions: list[AgreementVersion] = field(default_factory=list)
    viewer_accepted: bool = False

    @property
    def state(self) -> str:
        if self.latest is None:
            return "none"
        return "agreed" if self.latest.agreed_at else "waiting"

    @property
    def agreed_on(self) -> dt.datetime | None:
        return self.agreed.agreed_at if self.agreed else None


def state_for(mentorship: Mentorship, viewer: Any, members: list[Member]) -> AgreementState:
    """Every version with its proposer and acceptances, in two queries."""
    acceptances = AgreementAcceptance.objects.select_related("user").order_by("accepted_at", "id")
    versions = list(
        AgreementVersion.objects.filter(mentorship=mentorship)
        .select_related("proposed_by")
        .prefetch_related(Prefetch("acceptances", queryset=acceptances))
        .order_by("-number")
    )
    latest = versions[0] if versions else None
    agreed = next((v for v in versions if v.agreed_at), None)
    found = AgreementState(latest=latest, agreed=agreed, versions=versions)
    if latest is not None:
        accepted = {a.user_id for a in latest.acceptances.all()}
        found.viewer_accepted = viewer.pk in accepted
        if latest.agreed_at is None:
            found.waiting_for = [m.user for m in members if m.is_current and m.user_id not in accepted]
    return found
