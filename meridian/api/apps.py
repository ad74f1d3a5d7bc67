from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meridian.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from meridian.api import schema  # noqa: F401  (registers the token scheme)
