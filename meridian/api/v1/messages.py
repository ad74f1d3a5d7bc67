"""API for a mentorship's messages: the same door, services and rules as the page.

Only the mentorship's current members list (newest first, paged) and send messages;
everyone else, the program's managers and administrators included, gets a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import BAD_FILTER, NOT_FOUND, PUBLIC_ID
from meridian.messaging import selectors, services
from meridian.messaging.models import MAX_BODY, Message, Thread

REFUSED = OpenApiResponse(ErrorSerializer, description="Not valid: `fields.body` says why, in words.")


class MessageSerializer(serializers.ModelSerializer[Message]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.SerializerMethodField(
        help_text="The author's name; empty once their account is gone."
    )
    mine = serializers.SerializerMethodField(help_text="Written by the signed-in person.")
    created_at = serializers.DateTimeField(read_only=True, help_text="When it was sent (UTC).")

    class Meta:
        model = Message
        fields: tuple[str, ...] = ("id", "author", "mine", "body", "created_at")
        read_only_fields = fields

    def get_author(self, message: Message) -> str:
        return message.author.name if message.author is not None else ""

    def get_mine(self, message: Message) -> bool:
        return bool(message.author_id == self.context["request"].user.pk)


# What the service takes, stated for the schema (the service checks it and says why in words).
BODY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_BODY,
    "pattern": r"^[^\x00]*\S[^\x00]*$",
    "description": f"The message: plain text, up to {MAX_BODY:,} characters, not only spaces, no NUL; "
    "HTML is shown as typed. Surrounding spaces are dropped.",
}


@extend_schema_field(BODY_SCHEMA)
class BodyField(serializers.CharField):
    pass


class MessageInput(serializers.Serializer[Any]):
    body = BodyField(trim_whitespace=False, error_messages={"blank": "Write a message before sending it."})


def _thread(request: Request, public_id: str, *, write: bool = False) -> Thread:
    try:
        return selectors.get_thread_for_user(request.user, uuid.UUID(str(public_id)), write=write)
    except (Http404, ValueError) as error:
        raise NotFound from error


@extend_schema(parameters=[PUBLIC_ID])
class MentorshipMessages(generics.ListCreateAPIView[Message]):
    """The conversation of a mentorship, for its current members alone."""

    serializer_class = MessageSerializer

    @extend_schema(
        summary="List a mentorship's messages (newest first)",
        responses={200: MessageSerializer, 400: BAD_FILTER, 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Message]:
        rows: QuerySet[Message] = selectors.api_messages(_thread(self.request, self.kwargs["public_id"]))
        return rows

    @extend_schema(
        summary="Send a message",
        request=MessageInput,
        responses={201: MessageSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        thread = _thread(request, self.kwargs["public_id"], write=True)
        data = MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = services.message_send(
                thread=thread, author=request.user, body=data.validated_data["body"]
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        fresh = Message.objects.select_related("author").get(pk=message.pk)
        return Response(
            MessageSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
