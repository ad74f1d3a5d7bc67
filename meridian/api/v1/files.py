"""API for the pair's shared links and files: the same services, checks and door as the
pages. Only the pair lists, shares and downloads; nobody else learns that one exists."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meridian.api.errors import ErrorSerializer, error_body
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.core import permissions
from meridian.mentorships import files, selectors
from meridian.mentorships.goals import parse_public_id
from meridian.mentorships.models import Mentorship, SharedItem
from meridian.mentorships.serving import LimitHandler, download, too_big

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field: `url`, `file` or `note`)."
)
TOO_BIG = OpenApiResponse(ErrorSerializer, description="The file is larger than the limit.")


class SharedItemSerializer(serializers.ModelSerializer[SharedItem]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    added_by = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = SharedItem
        fields: tuple[str, ...] = (
            "id",
            "kind",
            "url",
            "filename",
            "content_type",
            "size",
            "note",
            "added_by",
            "at",
        )
        read_only_fields = fields

    def get_added_by(self, item: SharedItem) -> str:
        return item.added_by.name if item.added_by else ""


class ShareInput(serializers.Serializer[Any]):
    url = serializers.CharField(max_length=files.MAX_URL, required=False, help_text="A link (http or https).")
    file = serializers.FileField(required=False, allow_empty_file=True, help_text="Or a file (multipart).")
    note = serializers.CharField(max_length=files.MAX_NOTE, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("url")) == bool(attrs.get("file")):
            raise ValidationError({"url": ["Send either a link (`url`) or a file (`file`)."]})
        return attrs


def _pair_mentorship(request: Request, public_id: str, *, write: bool = False) -> Mentorship:
    try:
        mentorship = selectors.get_mentorship_for_user(request.user, parse_public_id(public_id))
    except Http404 as error:
        raise NotFound from error
    allowed = permissions.takes_part if write else permissions.in_the_pair
    if not allowed(request.user, mentorship):
        raise NotFound
    return mentorship


class MentorshipFiles(APIView):
    """The pair's shared links and files (newest first), and sharing one more."""

    parser_classes = (MultiPartParser, FormParser, JSONParser)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # The upload limit is in place before anything reads the body.
        request._request.upload_handlers = [LimitHandler(request._request), *request._request.upload_handlers]
        super().initial(request, *args, **kwargs)

    @extend_schema(
        summary="List shared links and files",
        parameters=[PUBLIC_ID],
        responses={200: SharedItemSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, public_id: str) -> Response:
        mentorship = _pair_mentorship(request, public_id)
        return Response(SharedItemSerializer(files.items_of(mentorship), many=True).data)

    @extend_schema(
        summary="Share a link or a file",
        description="Multipart with `file` (its type is found from its content) or JSON/form with `url`; "
        "`note` either way.",
        parameters=[PUBLIC_ID],
        request={"multipart/form-data": ShareInput, "application/json": ShareInput},
        responses={201: SharedItemSerializer, 400: REFUSED, 404: NOT_FOUND, 413: TOO_BIG},
    )
    def post(self, request: Request, public_id: str) -> Response:
        mentorship = _pair_mentorship(request, public_id, write=True)
        if too_big(request._request):
            return Response(error_body("too_large", files.too_big_message()), status=413)
        serializer = ShareInput(data=request.data)
        valid = serializer.is_valid()
        if getattr(request._request, "upload_too_big", False):
            return Response(error_body("too_large", files.too_big_message()), status=413)
        if not valid:
            raise ValidationError(serializer.errors)
        data = serializer.validated_data
        if data.get("file"):  # a refusal names its field (api.errors)
            item = files.shared_file_add(
                mentorship=mentorship, user=request.user, upload=data["file"], note=data.get("note", "")
            )
        else:
            item = files.shared_link_add(
                mentorship=mentorship, user=request.user, url=data["url"], note=data.get("note", "")
            )
        return Response(SharedItemSerializer(item).data, status=status.HTTP_201_CREATED)


class FileDownload(APIView):
    """A shared file's bytes, for the pair alone: an attachment, `nosniff`."""

    @extend_schema(
        summary="Download a shared file",
        parameters=[PUBLIC_ID],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND},
    )
    def get(self, request: Request, public_id: str) -> FileResponse:
        try:
            return download(selectors.get_shared_item_for_user(request.user, public_id))
        except Http404 as error:
            raise NotFound from error
