from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "meridian.programs"
    label = "programs"

    def ready(self) -> None:
        from meridian.programs import signals  # noqa: F401  (connects the receivers)
