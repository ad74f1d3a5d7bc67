"""API for a pair's pauses (holiday, leave: the health clocks stop and no nudge goes out):
the pair and the program's managers read them; a current member declares one and ends
it early. The same services and access as the pair's page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.api.v1.checkins import REFUSED
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.core import permissions
from meridian.engagement import pauses, selectors
from meridian.engagement.models import Pause
from meridian.mentorships import selectors as mentorship_selectors
from meridian.mentorships.models import Mentorship


class PauseSerializer(serializers.ModelSerializer[Pause]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    starts_on = serializers.DateField(help_text="The first day paused: today or later (in your zone).")
    ends_on = serializers.DateField(help_text="The last day paused (included): at most three months on.")
    reason = serializers.CharField(max_length=pauses.MAX_REASON, allow_blank=True, required=False, default="")
    declared_by = serializers.UUIDField(source="declared_by.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Pause
        fields: tuple[str, ...] = ("id", "starts_on", "ends_on", "reason", "declared_by", "created_at")
        read_only_fields = ("id", "declared_by", "created_at")


def _mentorship(request: Request, public_id: UUID, *, write: bool = False) -> Mentorship:
    try:
        mentorship = mentorship_selectors.get_mentorship_for_user(request.user, public_id)
    except Http404 as error:
        raise NotFound from error
    allowed = permissions.may_pause if write else permissions.may_see_pauses
    if not allowed(request.user, mentorship):
        raise NotFound
    return mentorship


class MentorshipPauses(generics.ListCreateAPIView[Pause]):
    """The pair's pauses running or to come, first first; a current member declares one."""

    serializer_class = PauseSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Pause]:
        mentorship = _mentorship(self.request, self.kwargs["public_id"])
        today = pauses.today_for(self.request.user)  # type: ignore[arg-type]
        rows = Pause.objects.filter(mentorship=mentorship, ends_on__gte=today).select_related("declared_by")
        return rows.order_by("starts_on", "id")

    @extend_schema(
        summary="List a pair's pauses",
        parameters=[PUBLIC_ID],
        responses={200: PauseSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Declare a pause",
        parameters=[PUBLIC_ID],
        request=PauseSerializer,
        responses={201: PauseSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        mentorship = _mentorship(request, public_id, write=True)
        data = PauseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = pauses.pause_declare(
            mentorship=mentorship,
            user=request.user,  # type: ignore[arg-type]
            starts_on=data.validated_data["starts_on"],
            ends_on=data.validated_data["ends_on"],
            reason=data.validated_data["reason"],
        )
        return Response(PauseSerializer(made).data, status=status.HTTP_201_CREATED)


class PauseEnd(generics.GenericAPIView[Pause]):
    """End a pause early: a running one ends yesterday (the pair is back today); one not
    begun yet is removed (204)."""

    serializer_class = PauseSerializer

    @extend_schema(
        summary="End a pause early",
        parameters=[PUBLIC_ID],
        request=None,
        responses={200: PauseSerializer, 204: None, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        try:
            pause = selectors.get_pause_for_user(request.user, public_id, write=True)
        except Http404 as error:
            raise NotFound from error
        ended = pauses.pause_end(pause=pause, user=request.user)  # type: ignore[arg-type]
        if ended is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(PauseSerializer(ended).data)
