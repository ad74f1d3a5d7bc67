"""API for quick check-ins (the pair reads them, its current members send one) and the
unresponsive-partner report (to the program's managers). The same services and access as
the pages; the program team reads counts and dates in its pairs list, not here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.agreements import pair_mentorship
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.mentorships import checkins, reports
from meridian.mentorships.models import CheckIn, Mood, UnresponsiveReport

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field) or refused in words."
)


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.UUIDField(source="author.public_id", read_only=True)
    mood = serializers.ChoiceField(choices=Mood.choices, help_text="1 (struggling) to 5 (great).")
    line = serializers.CharField(max_length=checkins.MAX_LINE, allow_blank=True, required=False, default="")

    class Meta:
        model = CheckIn
        fields: tuple[str, ...] = ("id", "author", "mood", "line", "created_at")
        read_only_fields = ("id", "author", "created_at")


class ReportSerializer(serializers.ModelSerializer[UnresponsiveReport]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    reporter_role = serializers.CharField(read_only=True, help_text="`mentor` or `mentee`.")
    tried = serializers.CharField(
        max_length=reports.MAX_TRIED, help_text="What you tried (read by the program team)."
    )

    class Meta:
        model = UnresponsiveReport
        fields: tuple[str, ...] = ("id", "since", "tried", "reporter_role", "created_at")
        read_only_fields = ("id", "reporter_role", "created_at")


class MentorshipCheckIns(generics.ListCreateAPIView[CheckIn]):
    """The pair's check-ins, newest first; a current member sends one."""

    serializer_class = CheckInSerializer

    def get_queryset(self) -> QuerySet[CheckIn]:
        mentorship = pair_mentorship(self.request, self.kwargs["public_id"])
        return (
            CheckIn.objects.filter(mentorship=mentorship)
            .select_related("author")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary="List check-ins", parameters=[PUBLIC_ID], responses={200: CheckInSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Send a check-in",
        parameters=[PUBLIC_ID],
        request=CheckInSerializer,
        responses={201: CheckInSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        mentorship = pair_mentorship(request, public_id, write=True)
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = checkins.checkin_create(
            mentorship=mentorship,
            user=request.user,
            mood=data.validated_data["mood"],
            line=data.validated_data["line"],
        )
        return Response(CheckInSerializer(made).data, status=status.HTTP_201_CREATED)


class MentorshipReportUnresponsive(generics.GenericAPIView[UnresponsiveReport]):
    """Tell the program team the partner does not answer: what you tried, since when."""

    serializer_class = ReportSerializer

    @extend_schema(
        summary="Report an unresponsive partner",
        parameters=[PUBLIC_ID],
        request=ReportSerializer,
        responses={201: ReportSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        mentorship = pair_mentorship(request, public_id, write=True)
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = reports.report_unresponsive(
            mentorship=mentorship,
            user=request.user,
            since=data.validated_data["since"],
            tried=data.validated_data["tried"],
        )
        return Response(ReportSerializer(made).data, status=status.HTTP_201_CREATED)
