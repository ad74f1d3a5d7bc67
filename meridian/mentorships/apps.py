from __future__ import annotations

from django.apps import AppConfig


class MentorshipsConfig(AppConfig):
    name = "meridian.mentorships"
    label = "mentorships"
