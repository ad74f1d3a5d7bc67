"""API for a pair's rules of engagement: read the agreement (every version), propose a
change (PUT), accept the latest version (POST ``accept``). The same services and access
as the pages: the pair alone reads it, its current members change it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.core import permissions
from meridian.core.timezones import zone_names
from meridian.mentorships import agreement, selectors
from meridian.mentorships.models import AgreementVersion, Cadence, Mentorship, ReplyWithin

REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Not valid (`fields` names the field), refused in words, or 409 when a newer version exists.",
)


def pair_mentorship(request: Request, public_id: UUID, *, write: bool = False) -> Mentorship:
    """The mentorship for its pair alone (its current members with ``write``); else 404."""
    try:
        mentorship = selectors.get_mentorship_for_user(request.user, public_id)
    except Http404 as error:
        raise NotFound from error
    if not permissions.in_the_pair(request.user, mentorship):
        raise NotFound
    if write and not permissions.takes_part(request.user, mentorship):
        raise NotFound
    return mentorship


REPLY_HELP = "Hours: " + ", ".join(str(v) for v in ReplyWithin.values) + "."


def _reply_hours(value: int) -> int:
    if value not in ReplyWithin.values:
        raise serializers.ValidationError(REPLY_HELP)
    return value


class TermsInput(serializers.Serializer[Any]):
    meeting_times = serializers.CharField(
        max_length=agreement.TEXT_LIMITS["meeting_times"],
        allow_blank=True,
        help_text="Weekly windows, `Mon 09:00-12:00; Wed 14:00-17:30`, on `times_zone`'s clock.",
    )
    times_zone = serializers.ChoiceField(choices=sorted(zone_names()), help_text="An IANA time zone.")
    mentor_replies_within = serializers.IntegerField(help_text=REPLY_HELP)
    mentee_replies_within = serializers.IntegerField(help_text=REPLY_HELP)
    meeting_minutes = serializers.IntegerField(
        min_value=agreement.MIN_MINUTES, max_value=agreement.MAX_MINUTES
    )
    every_weeks = serializers.ChoiceField(choices=Cadence.choices)
    channels = serializers.CharField(max_length=agreement.TEXT_LIMITS["channels"], allow_blank=True)
    fallback = serializers.CharField(max_length=agreement.TEXT_LIMITS["fallback"], allow_blank=True)
    confidentiality = serializers.CharField(
        max_length=agreement.TEXT_LIMITS["confidentiality"], allow_blank=True
    )
    may_record = serializers.BooleanField(help_text="Pre-fills each meeting's recording consent once agreed.")

    def validate_mentor_replies_within(self, value: int) -> int:
        return _reply_hours(value)

    def validate_mentee_replies_within(self, value: int) -> int:
        return _reply_hours(value)


class AgreementProposeInput(TermsInput):
    seen = serializers.IntegerField(
        min_value=1,
        allow_null=True,
        required=False,
        help_text="The latest version's `number` you read (null or absent when there is none).",
    )


class AgreementAcceptInput(serializers.Serializer[Any]):
    number = serializers.IntegerField(min_value=1, help_text="The latest version's `number`.")


class AcceptanceSerializer(serializers.Serializer[Any]):
    user = serializers.UUIDField(source="user.public_id")
    name = serializers.CharField(source="user.name")
    accepted_at = serializers.DateTimeField()


class VersionSerializer(serializers.ModelSerializer[AgreementVersion]):
    proposed_by = serializers.UUIDField(source="proposed_by.public_id", allow_null=True, read_only=True)
    acceptances = AcceptanceSerializer(many=True, read_only=True)
    mentor_replies_within = serializers.IntegerField(read_only=True, help_text="Hours.")
    mentee_replies_within = serializers.IntegerField(read_only=True, help_text="Hours.")

    class Meta:
        model = AgreementVersion
        fields: tuple[str, ...] = (
            "number",
            *agreement.TERMS,
            "proposed_by",
            "proposed_at",
            "agreed_at",
            "acceptances",
        )
        read_only_fields = fields


class AgreementSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=[("none", "none"), ("waiting", "waiting"), ("agreed", "agreed")],
        help_text="`waiting`: the latest version waits for `waiting_for`.",
    )
    agreed_number = serializers.IntegerField(allow_null=True, help_text="The version in force.")
    agreed_at = serializers.DateTimeField(allow_null=True)
    waiting_for = serializers.ListField(child=serializers.UUIDField(), help_text="Users' ids.")
    versions = VersionSerializer(
        many=True, help_text="Newest first; for the pair alone (empty for the program's team)."
    )


def _answer(
    mentorship: Mentorship, request: Request, code: int = status.HTTP_200_OK, *, terms: bool = True
) -> Response:
    found = agreement.state_for(mentorship, request.user, list(mentorship.members.all()))
    data = {
        "state": found.state,
        "agreed_number": found.agreed.number if found.agreed else None,
        "agreed_at": found.agreed_on,
        "waiting_for": [u.public_id for u in found.waiting_for],
        "versions": found.versions if terms else [],
    }
    return Response(AgreementSerializer(data).data, status=code)


class MentorshipAgreement(APIView):
    """The pair's agreement: its state and every version with who accepted it when. Whoever
    sees the mentorship (its program's team) reads the state alone, as on its page."""

    @extend_schema(
        summary="Read the agreement",
        parameters=[PUBLIC_ID],
        responses={200: AgreementSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        try:
            mentorship = selectors.get_mentorship_for_user(request.user, public_id)
        except Http404 as error:
            raise NotFound from error
        return _answer(mentorship, request, terms=permissions.in_the_pair(request.user, mentorship))

    @extend_schema(
        summary="Propose the agreement or a change",
        parameters=[PUBLIC_ID],
        request=AgreementProposeInput,
        responses={200: AgreementSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def put(self, request: Request, public_id: UUID) -> Response:
        """A new version, accepted by its proposer; everyone else accepts it again."""
        mentorship = pair_mentorship(request, public_id, write=True)
        data = AgreementProposeInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        seen = values.pop("seen", None)
        agreement.agreement_propose(mentorship=mentorship, user=request.user, terms=values, seen=seen)
        return _answer(mentorship, request)


class MentorshipAgreementAccept(APIView):
    @extend_schema(
        summary="Accept the agreement's latest version",
        parameters=[PUBLIC_ID],
        request=AgreementAcceptInput,
        responses={200: AgreementSerializer, 400: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        mentorship = pair_mentorship(request, public_id, write=True)
        data = AgreementAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreement.agreement_accept(
            mentorship=mentorship, user=request.user, number=data.validated_data["number"]
        )
        return _answer(mentorship, request)
