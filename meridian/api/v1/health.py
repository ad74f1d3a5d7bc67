"""API for a pair's health and the program's check-in queue: the program's managers alone
(``may_see_health``), through the same doors and services as the pages; the pair itself
and everyone else get 404."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.accounts.models import User
from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.engagement import queue_services, selectors
from meridian.engagement.models import (
    Band,
    ContactChannel,
    ContactLog,
    ContactOutcome,
    HealthChange,
    QueueItem,
    QueueKind,
)
from meridian.engagement.queue_services import MAX_NOTE, SNOOZE_DAYS

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field) or refused in words."
)


def _manager(request: Request) -> User:
    """The signed-in manager (``IsAuthenticated`` and the door have let only them through)."""
    return cast(User, request.user)


class ChangeSerializer(serializers.ModelSerializer[HealthChange]):
    old_band = serializers.CharField(help_text="A band, as in `band`.")
    new_band = serializers.CharField(help_text="A band, as in `band`.")

    class Meta:
        model = HealthChange
        fields: tuple[str, ...] = ("on", "old_band", "new_band", "score", "reason")


class HealthSerializer(serializers.Serializer[Any]):
    mentorship = serializers.UUIDField(help_text="The mentorship's `id`.")
    assessed = serializers.BooleanField(help_text="False until the first health sweep.")
    band = serializers.ChoiceField(choices=Band.choices, allow_null=True)
    score = serializers.IntegerField(allow_null=True, help_text="0-100.")
    band_since = serializers.DateField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Sentences, worst first.")
    signals = serializers.ListField(child=serializers.CharField(), help_text="The same, as codes.")
    last_activity_at = serializers.DateTimeField(
        allow_null=True, help_text="The pair's last two-sided contact."
    )
    assessed_on = serializers.DateField(allow_null=True)
    changes = ChangeSerializer(many=True, help_text="Band changes, newest first.")


class ItemSerializer(serializers.ModelSerializer[QueueItem]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    mentorship = serializers.UUIDField(source="mentorship.public_id", read_only=True)
    members = serializers.SerializerMethodField(help_text="The pair's current members' names, mentors first.")
    kind = serializers.ChoiceField(choices=QueueKind.choices, read_only=True)
    band = serializers.CharField(source="mentorship.health.band", read_only=True, default=None)
    score = serializers.IntegerField(source="mentorship.health.score", read_only=True, default=None)
    last_activity_at = serializers.DateTimeField(
        source="mentorship.health.last_activity_at", read_only=True, default=None
    )
    next_step = serializers.SerializerMethodField(help_text="What to try first.")

    class Meta:
        model = QueueItem
        fields: tuple[str, ...] = (
            "id",
            "mentorship",
            "members",
            "kind",
            "reason",
            "urgency",
            "due_on",
            "snoozed_until",
            "resolved_at",
            "band",
            "score",
            "last_activity_at",
            "next_step",
        )
        read_only_fields = fields

    def get_members(self, item: QueueItem) -> list[str]:
        return [m.user.name for m in item.mentorship.members.all() if m.is_current]

    def get_next_step(self, item: QueueItem) -> str:
        return selectors.next_step(item)


class ContactSerializer(serializers.ModelSerializer[ContactLog]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    channel = serializers.ChoiceField(choices=ContactChannel.choices)
    outcome = serializers.ChoiceField(choices=ContactOutcome.choices)
    note = serializers.CharField(max_length=MAX_NOTE, allow_blank=True, required=False, default="")

    class Meta:
        model = ContactLog
        fields: tuple[str, ...] = ("id", "channel", "outcome", "note", "at")
        read_only_fields = ("id", "at")


class SnoozeSerializer(serializers.Serializer[Any]):
    days = serializers.ChoiceField(choices=SNOOZE_DAYS, help_text="3, 7 or 14.")


class MentorshipHealth(generics.GenericAPIView[Any]):
    """A pair's health: band, score, reasons worst first, band history (program managers)."""

    serializer_class = HealthSerializer

    @extend_schema(
        summary="A pair's health", parameters=[PUBLIC_ID], responses={200: HealthSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        mentorship = selectors.get_health_for_user(request.user, public_id)
        view = selectors.health_view(mentorship)
        h = view.health
        data = {
            "mentorship": mentorship.public_id,
            "assessed": h is not None,
            "band": h.band if h else None,
            "score": h.score if h else None,
            "band_since": h.band_since if h else None,
            "reasons": h.reasons if h else [],
            "signals": h.signals if h else [],
            "last_activity_at": h.last_activity_at if h else None,
            "assessed_on": h.assessed_on if h else None,
            "changes": view.changes,
        }
        return Response(HealthSerializer(data).data)


class ProgramCheckIns(generics.ListAPIView[QueueItem]):
    """The program's check-in queue today: open, due, not snoozed; most urgent first."""

    serializer_class = ItemSerializer

    def get_queryset(self) -> QuerySet[QueueItem]:
        program = selectors.get_queue_for_user(self.request.user, self.kwargs["public_id"])
        return selectors.queue_items(program, timezone.localdate())

    @extend_schema(
        summary="The check-in queue", parameters=[PUBLIC_ID], responses={200: ItemSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CheckInContact(generics.GenericAPIView[ContactLog]):
    """Log a contact with the pair (a regular check-in is then done)."""

    serializer_class = ContactSerializer

    @extend_schema(
        summary="Log a contact",
        parameters=[PUBLIC_ID],
        request=ContactSerializer,
        responses={201: ContactSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        item = selectors.get_queue_item_for_user(request.user, public_id, write=True)
        data = ContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = queue_services.contact_log(item=item, manager=_manager(request), **data.validated_data)
        return Response(ContactSerializer(log).data, status=status.HTTP_201_CREATED)


class CheckInSnooze(generics.GenericAPIView[QueueItem]):
    """Hide the item from the queue for 3, 7 or 14 days."""

    serializer_class = SnoozeSerializer

    @extend_schema(
        summary="Snooze an item",
        parameters=[PUBLIC_ID],
        request=SnoozeSerializer,
        responses={200: ItemSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        item = selectors.get_queue_item_for_user(request.user, public_id, write=True)
        data = SnoozeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        today = timezone.localdate()
        queue_services.item_snooze(
            item=item, manager=_manager(request), days=data.validated_data["days"], today=today
        )
        return Response(ItemSerializer(selectors.queue_item(item.pk)).data)


class CheckInResolve(generics.GenericAPIView[QueueItem]):
    """Take the pair off the queue."""

    serializer_class = ItemSerializer

    @extend_schema(
        summary="Mark an item resolved",
        parameters=[PUBLIC_ID],
        request=None,
        responses={200: ItemSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        item = selectors.get_queue_item_for_user(request.user, public_id, write=True)
        queue_services.item_resolve(item=item, manager=_manager(request))
        return Response(ItemSerializer(selectors.queue_item(item.pk)).data)
