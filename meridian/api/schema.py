"""How drf-spectacular describes our token sign-in in the OpenAPI schema (imported by
``ApiConfig.ready`` so the extension is registered before any schema is built)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
