"""API for closing a mentorship: a current member closes it with the category and their
reflection (and, a mentee ending early, a request to be matched again). The same service
and access as the page; the answer carries the closure, never the reflection's text."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.mentorships import closing, selectors
from meridian.mentorships.models import CloseReason, Closure, MentorshipStatus, Recommend

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field) or refused in words."
)
CLOSED_ALREADY = OpenApiResponse(ErrorSerializer, description="The mentorship is closed already.")


class CloseSerializer(serializers.Serializer[Closure]):
    outcome = serializers.ChoiceField(
        choices=[MentorshipStatus.COMPLETED.value, MentorshipStatus.ENDED.value],
        help_text="`completed` (from two weeks before the cohort ends) or `ended` (early).",
    )
    reason = serializers.ChoiceField(choices=CloseReason.choices, help_text="Why it ends (the team sees it).")
    achieved = serializers.CharField(max_length=closing.MAX_TEXT, help_text="What was achieved.")
    next_steps = serializers.CharField(
        max_length=closing.MAX_TEXT, allow_blank=True, required=False, default=""
    )
    recommend = serializers.ChoiceField(choices=Recommend.choices, help_text="Would you recommend it?")
    rematch = serializers.BooleanField(
        required=False, default=False, help_text="A mentee ending early asks to be matched again."
    )


class ClosureSerializer(serializers.ModelSerializer[Closure]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    mentorship = serializers.UUIDField(source="mentorship.public_id", read_only=True)
    status = serializers.CharField(source="mentorship.status", read_only=True)
    closed_by_role = serializers.CharField(read_only=True, help_text="`mentor` or `mentee`.")
    closed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Closure
        fields: tuple[str, ...] = (
            "id",
            "mentorship",
            "status",
            "reason",
            "closed_by_role",
            "closed_at",
            "rematch_requested_at",
        )
        read_only_fields = fields


class ClosureSummarySerializer(serializers.ModelSerializer[Closure]):
    """How a mentorship ended, as its members and its program's team see it (never a reflection)."""

    closed_by_role = serializers.CharField(read_only=True, help_text="`mentor` or `mentee`.")
    closed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Closure
        fields: tuple[str, ...] = ("reason", "closed_by_role", "closed_at", "rematch_requested_at")
        read_only_fields = fields


class MentorshipClose(generics.GenericAPIView[Closure]):
    """Close the mentorship for everyone in it, with your reflection; the others are told."""

    serializer_class = CloseSerializer

    @extend_schema(
        summary="Close a mentorship",
        parameters=[PUBLIC_ID],
        request=CloseSerializer,
        responses={201: ClosureSerializer, 400: REFUSED, 404: NOT_FOUND, 409: CLOSED_ALREADY},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        try:
            mentorship = selectors.get_closing_for_user(request.user, public_id, write=True)
        except Http404 as error:
            raise NotFound from error
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = data.validated_data
        closure = closing.mentorship_close(
            mentorship=mentorship,
            user=request.user,
            outcome=found["outcome"],
            reason=found["reason"],
            thoughts=closing.Thoughts(
                achieved=found["achieved"], next_steps=found["next_steps"], recommend=found["recommend"]
            ),
            rematch=found["rematch"],
        )
        return Response(ClosureSerializer(closure).data, status=status.HTTP_201_CREATED)
