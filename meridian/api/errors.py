"""One error shape for the whole API: {"error": {"code", "message", "fields"}}, also for
the 404s and 500s Django answers itself (``handler404``/``handler500`` in ``config.urls``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from meridian.core.errors import MeridianError

API_PREFIX = "/api/"


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class ErrorSerializer(serializers.Serializer[Any]):
    """The API's one error shape: the ``Error`` component of every error response."""

    error = inline_serializer(
        "ErrorBody",
        {  # a dict, as "fields" is a Serializer attribute
            "code": serializers.CharField(
                help_text="A stable word a program can test: `not_authenticated`, `authentication_failed`, "
                "`mfa_required`, `permission_denied`, `not_found`, `invalid`, `conflict`, `parse_error`, "
                "`unsupported_media_type`, `throttled`, ..."
            ),
            "message": serializers.CharField(help_text="What went wrong, in words for a person."),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                help_text="For a 400: each bad field or query parameter and what is wrong with it.",
            ),
        },
    )


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown address under /api/ is a JSON 404; elsewhere, the site's 404 page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    """A crash under /api/ is a JSON 500 (a script reads JSON, not a page); elsewhere, the page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
    return defaults.server_error(request)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, MeridianError):  # a service refused: its message, beside its field
        set_rollback()
        beside = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body(exc.code, exc.message, beside), status=exc.status)
    if isinstance(exc, Http404):  # a door's 404 (``get_<thing>_for_user``): the API's not_found
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    fields: dict[str, Any] = {}
    message = ""
    if isinstance(data, dict) and "detail" in data:
        message = str(data["detail"])
    elif isinstance(data, dict):
        fields = {
            key: [str(item) for item in value] if isinstance(value, list) else [str(value)]
            for key, value in data.items()
        }
        message = "Some fields are not valid."
    else:
        message = "; ".join(str(item) for item in data) if isinstance(data, list) else str(data)
    code = getattr(exc, "default_code", "error")
    response.data = error_body(code, message, fields)
    return response
