"""API for the pulse survey: the person's own open pulses, and answering one (any of the
three questions alone). The same service and access as the page: a pulse is its person's
alone; the partner and everyone else get 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.engagement import pulse, selectors
from meridian.engagement.models import Continue, Met, Pulse

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field) or refused (`message` says why)."
)


class PulseSerializer(serializers.ModelSerializer[Pulse]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    mentorship = serializers.UUIDField(source="mentorship.public_id", read_only=True)
    closes_at = serializers.SerializerMethodField(help_text="Answers are taken until then.")
    rating = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1 (badly) to 5 (very well)."
    )
    met = serializers.CharField(read_only=True, help_text="`yes`, `partly`, `no`, or empty while unanswered.")
    wants_continue = serializers.CharField(
        read_only=True, help_text="`yes`, `unsure`, `no`, or empty while unanswered."
    )

    class Meta:
        model = Pulse
        fields: tuple[str, ...] = (
            "id",
            "mentorship",
            "number",
            "due_on",
            "closes_at",
            "answered_at",
            "rating",
            "met",
            "wants_continue",
        )
        read_only_fields = fields

    def get_closes_at(self, found: Pulse) -> str:
        return serializers.DateTimeField().to_representation(pulse.closes_at(found))


class PulseAnswerSerializer(serializers.Serializer[Any]):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, help_text="How is it going?")
    met = serializers.ChoiceField(choices=Met.choices, required=False, help_text="Did you meet as agreed?")
    wants_continue = serializers.ChoiceField(
        choices=Continue.choices, required=False, help_text="Do you want to continue?"
    )


class MyPulses(APIView):
    """The signed-in person's pulses still taking answers, the newest first."""

    @extend_schema(summary="List my open pulses", responses={200: PulseSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows = selectors.open_pulses(request.user, timezone.now())
        return Response(PulseSerializer(rows, many=True).data)


class PulseAnswer(APIView):
    """Answer one's own pulse: one, two or all three questions; later answers change
    earlier ones while it is open."""

    @extend_schema(
        summary="Answer a pulse",
        parameters=[PUBLIC_ID],
        request=PulseAnswerSerializer,
        responses={200: PulseSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        try:
            found = selectors.get_pulse_for_user(request.user, public_id, write=True)
        except Http404 as error:
            raise NotFound from error
        data = PulseAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = pulse.pulse_answer(
            pulse=found,
            user=request.user,
            rating=data.validated_data.get("rating"),
            met=data.validated_data.get("met"),
            wants_continue=data.validated_data.get("wants_continue"),
        )
        return Response(PulseSerializer(answered).data)
