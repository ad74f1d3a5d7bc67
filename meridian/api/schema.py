"""How drf-spectacular describes the API (imported by ``ApiConfig.ready`` so the
extension is registered before any schema is built):

- our token sign-in, as the ``tokenAuth`` scheme;
- ``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``): every operation documents every error status
  it can answer, each in the one error shape (``errors.ErrorSerializer``), so that a
  program can expect them; and every operation must have a summary (a warning, which the
  schema test turns into a failure, names the one without)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

from meridian.api.errors import ErrorSerializer

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

BAD_REQUEST = (
    "The request is not valid: the body is not well-formed, or a field or query parameter "
    "is not (`fields` names each one and says why)."
)
UNAUTHENTICATED = (
    "No credentials (`not_authenticated`), or a token that is unknown, expired, revoked or "
    "older than the password's last change (`authentication_failed`). The `WWW-Authenticate` "
    "header names the scheme to use."
)
FORBIDDEN = (
    "Signed in through the browser session only: a program manager or administrator "
    "without two-factor authentication, where the organisation requires it (`mfa_required`)."
)
FORBIDDEN_WRITE = FORBIDDEN + " Or a write without the session's CSRF token (`permission_denied`)."
NOT_FOUND = (
    "Absent, or not visible to the reader (`not_found`): the API never confirms that something "
    "exists to someone who may not see it."
)
UNSUPPORTED = "The body is not JSON, form-encoded or multipart (`unsupported_media_type`)."
THROTTLED = "Too many requests (`throttled`): try again after `Retry-After` seconds."

HEADERS: dict[str, dict[str, Any]] = {
    "401": {
        "WWW-Authenticate": {
            "description": 'The scheme to sign in with: `Bearer realm="api"`.',
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "meridian.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Account, API tokens), sent as "
            "`Authorization: Bearer <key>` or `Authorization: Token <key>`.",
        }


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if not operation.get("summary"):
            warn(f"{self.method} {self.path} has no summary: give it one in its extend_schema.")
        responses: dict[str, Any] = operation["responses"]
        for code, (name, description) in self.error_statuses(operation).items():
            if code not in responses:
                responses[code] = self._error_component(code, name, description).ref
            elif "content" not in responses[code]:  # a view's own words, without the shape
                responses[code] = self._error_response(code, responses[code]["description"])
            elif code in HEADERS:
                responses[code]["headers"] = {**responses[code].get("headers", {}), **HEADERS[code]}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def error_statuses(self, operation: dict[str, Any]) -> dict[str, tuple[str, str]]:
        """The errors this operation can answer (``code: (component name, description)``),
        beside those its view documents in its own words."""
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        statuses: dict[str, tuple[str, str]] = {}
        if has_body or any(p["in"] == "query" for p in parameters):
            statuses["400"] = ("BadRequest", BAD_REQUEST)
        auth = self.get_auth()
        if auth and {} not in auth:  # sign-in required: every operation, by the default permission
            statuses["401"] = ("NotAuthenticated", UNAUTHENTICATED)
            if self.method in WRITES:
                statuses["403"] = ("ForbiddenWrite", FORBIDDEN_WRITE)
            else:
                statuses["403"] = ("Forbidden", FORBIDDEN)
        if any(p["in"] == "path" for p in parameters):
            statuses["404"] = ("NotFound", NOT_FOUND)
        if has_body:
            statuses["415"] = ("UnsupportedMediaType", UNSUPPORTED)
        if self.view.get_throttles():
            statuses["429"] = ("Throttled", THROTTLED)
        return statuses

    def _error_response(self, code: str, description: str) -> dict[str, Any]:
        response: dict[str, Any] = self._get_response_for_code(  # type: ignore[no-untyped-call]
            OpenApiResponse(ErrorSerializer, description=description), code
        )
        if code in HEADERS:
            response["headers"] = {**response.get("headers", {}), **HEADERS[code]}
        return response

    def _error_component(self, code: str, name: str, description: str) -> ResolvedComponent:
        """One response component per error, shared by the operations (``components/responses``)."""
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=name,
            type=ResolvedComponent.RESPONSE,
            schema=self._error_response(code, description),
            object=f"meridian.api.schema.{name}",
        )
        self.registry.register_on_missing(component)
        return component


def describe_long_enums(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook (after drf-spectacular's enum hook): the time zone enum lists
    its ~600 names once, without ~600 lines of "* `Africa/Abidjan` - Africa/Abidjan"."""
    schemas = result.get("components", {}).get("schemas", {})
    if "TimeZoneEnum" in schemas:
        schemas["TimeZoneEnum"]["description"] = "An IANA time zone name (the tz database's names)."
    return result
