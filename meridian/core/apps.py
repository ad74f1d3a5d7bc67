from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meridian.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from meridian.core.idle import on_login

        user_logged_in.connect(on_login, dispatch_uid="meridian.core.idle.on_login")
