"""API for meetings: the same services and access rules as the pages.

Members list and read their meetings (with the join link), read their mutual slots,
propose times, accept one, move, cancel and mark the outcome. The program's managers
read when and how pairs meet, never links; notes are not in the API."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import BAD_FILTER, NOT_FOUND, PUBLIC_ID, _filters, _found
from meridian.core import permissions
from meridian.mentorships.models import Member
from meridian.mentorships.selectors import get_mentorship_for_user
from meridian.scheduling import finder, selectors, services
from meridian.scheduling.models import Channel, Meeting, MeetingStatus, VideoSource

REFUSED = OpenApiResponse(
    ErrorSerializer,
    description="Not valid (`fields` names the field) or refused (the error's `message` says why, in words).",
)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    mentorship = serializers.UUIDField(source="mentorship.public_id", read_only=True)
    series = serializers.UUIDField(source="series.public_id", read_only=True, allow_null=True)
    options = serializers.SerializerMethodField(
        help_text="Proposed starts (UTC) while the meeting is proposed."
    )
    video_url = serializers.SerializerMethodField(help_text="The join link: members only; empty for others.")

    class Meta:
        model = Meeting
        fields: tuple[str, ...] = (
            "id",
            "mentorship",
            "series",
            "title",
            "status",
            "starts_at",
            "minutes",
            "channel",
            "fallback",
            "video_url",
            "sequence",
            "options",
        )
        read_only_fields = fields

    def get_options(self, meeting: Meeting) -> list[str]:
        return [o.starts_at.isoformat() for o in meeting.options.all()]

    def get_video_url(self, meeting: Meeting) -> str:
        members = self.context.get("member_of", set())
        return meeting.video_url if meeting.mentorship_id in members else ""


class MeetingFilters(serializers.Serializer[Any]):
    mentorship = serializers.UUIDField(required=False, help_text="A mentorship's `id`.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices, required=False, allow_blank=True)
    since = serializers.DateTimeField(required=False, help_text="Meetings starting at or after this time.")


class ProposeInput(serializers.Serializer[Any]):
    starts = serializers.ListField(
        child=serializers.DateTimeField(),
        min_length=1,
        max_length=services.MAX_OPTIONS,
        help_text="One to three start times, with their offset (ISO 8601).",
    )
    minutes = serializers.IntegerField(min_value=services.MIN_MINUTES, max_value=services.MAX_MINUTES)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.VIDEO)
    video_source = serializers.ChoiceField(choices=VideoSource.choices, default=VideoSource.JITSI)
    fallback = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    repeat_weeks = serializers.IntegerField(min_value=0, max_value=4, default=0)
    repeat_count = serializers.IntegerField(min_value=0, max_value=services.MAX_REPEATS, default=0)


class AcceptInput(serializers.Serializer[Any]):
    start = serializers.DateTimeField(help_text="One of the meeting's `options`.")


class ReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=services.MAX_REASON)


class MoveInput(ReasonInput):
    start = serializers.DateTimeField()


class OutcomeInput(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=[("held", "held"), ("missed", "missed")])


class SlotsFilters(serializers.Serializer[Any]):
    weeks = serializers.IntegerField(min_value=finder.MIN_WEEKS, max_value=finder.MAX_WEEKS, default=2)
    minutes = serializers.IntegerField(
        min_value=services.MIN_MINUTES, max_value=services.MAX_MINUTES, required=False
    )


class SlotSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    best = serializers.BooleanField(help_text="Inside everyone's working hours.")
    shift_minutes = serializers.IntegerField(
        help_text="Moved in your time by a clock change since the search start."
    )
    starts = serializers.ListField(child=serializers.DateTimeField(), help_text="Meeting starts that fit.")


def _mentorships_of(request: Request) -> set[int]:
    members = Member.objects.filter(user_id=request.user.pk or 0, is_current=True)
    return set(members.values_list("mentorship_id", flat=True))


class _MeetingReader:
    """Tells the serializer which mentorships the reader is a member of (links for them)."""

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        return {**context, "member_of": _mentorships_of(self.request)}  # type: ignore[attr-defined]


@extend_schema(
    summary="List meetings", parameters=[MeetingFilters], responses={200: MeetingSerializer, 400: BAD_FILTER}
)
class MeetingList(_MeetingReader, generics.ListAPIView[Meeting]):
    """Meetings the signed-in person may see: their own, and their programs' (no links)."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        filters = _filters(MeetingFilters, self.request)
        rows = selectors.meetings().filter(permissions.visible_meetings_q(self.request.user))
        if "mentorship" in filters:
            rows = rows.filter(mentorship__public_id=filters["mentorship"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        if "since" in filters:
            rows = rows.filter(starts_at__gte=filters["since"])
        return rows.order_by("starts_at", "pk")


@extend_schema(
    summary="Read a meeting", parameters=[PUBLIC_ID], responses={200: MeetingSerializer, 404: NOT_FOUND}
)
class MeetingDetail(_MeetingReader, generics.RetrieveAPIView[Meeting]):
    """One meeting, for the mentorship's members and the program's managers."""

    serializer_class = MeetingSerializer

    def get_object(self) -> Meeting:
        return _found(selectors.get_meeting_for_user, self.request, self.kwargs["public_id"])


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _answer(request: Request, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.meetings().get(pk=meeting.pk)
    context = {"request": request, "member_of": _mentorships_of(request)}
    return Response(MeetingSerializer(fresh, context=context).data, status=code)


@extend_schema(
    summary="Find times that suit every member",
    parameters=[PUBLIC_ID, SlotsFilters],
    responses={200: SlotSerializer(many=True), 400: BAD_FILTER, 404: NOT_FOUND},
)
class MentorshipSlots(APIView):
    """Times that suit every member over the next weeks (members only)."""

    def get(self, request: Request, public_id: UUID) -> Response:
        mentorship = _found(get_mentorship_for_user, request, public_id, write=True)
        filters = _filters(SlotsFilters, request)
        people = [m.user for m in selectors.members_of(mentorship)]
        minutes = filters.get("minutes") or mentorship.program.meeting_minutes
        found = finder.for_members(people, request.user, weeks=filters.get("weeks", 2), minutes=minutes)
        rows = [slot for day in found.days for slot in day.slots]
        return Response(SlotSerializer(rows, many=True).data)


@extend_schema(
    summary="Propose a meeting",
    parameters=[PUBLIC_ID],
    request=ProposeInput,
    responses={201: MeetingSerializer, 400: REFUSED, 404: NOT_FOUND},
)
class MentorshipPropose(APIView):
    """Propose one to three times; another member accepts one."""

    def post(self, request: Request, public_id: UUID) -> Response:
        mentorship = _found(get_mentorship_for_user, request, public_id, write=True)
        data = _valid(ProposeInput, request)
        meeting = services.meeting_propose(
            mentorship=mentorship, user=request.user, proposal=services.MeetingProposal(**data)
        )
        return _answer(request, meeting, status.HTTP_201_CREATED)


class _MeetingAction(APIView):
    input_class: type[serializers.Serializer[Any]]

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, public_id: UUID) -> Response:
        meeting = _found(selectors.get_meeting_for_user, request, public_id, write=True)
        data = _valid(self.input_class, request)
        self.change(meeting, request.user, data)  # a refusal is a 400 (api.errors)
        return _answer(request, meeting)


def _doc(summary: str, input_class: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(
        summary=summary,
        parameters=[PUBLIC_ID],
        request=input_class,
        responses={200: MeetingSerializer, 400: REFUSED, 404: NOT_FOUND},
    )


@_doc("Accept a proposed time", AcceptInput)
class MeetingAccept(_MeetingAction):
    """Accept one of the proposed times."""

    input_class = AcceptInput

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        services.meeting_accept(meeting=meeting, user=user, start=data["start"])


@_doc("Decline a proposal", ReasonInput)
class MeetingDecline(_MeetingAction):
    """Decline every proposed time, saying why."""

    input_class = ReasonInput

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        services.meeting_decline(meeting=meeting, user=user, reason=data["reason"])


@_doc("Move a meeting", MoveInput)
class MeetingMove(_MeetingAction):
    """Move a scheduled meeting (one occurrence of a series alone), saying why."""

    input_class = MoveInput

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        services.meeting_move(meeting=meeting, user=user, start=data["start"], reason=data["reason"])


@_doc("Cancel a meeting", ReasonInput)
class MeetingCancel(_MeetingAction):
    """Cancel a meeting, or withdraw one's own proposal, saying why."""

    input_class = ReasonInput

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        services.meeting_cancel(meeting=meeting, user=user, reason=data["reason"])


@_doc("Record whether a meeting was held", OutcomeInput)
class MeetingOutcome(_MeetingAction):
    """After its start: mark the meeting held or missed."""

    input_class = OutcomeInput

    def change(self, meeting: Meeting, user: Any, data: dict[str, Any]) -> None:
        services.meeting_record_outcome(meeting=meeting, user=user, outcome=data["outcome"])
