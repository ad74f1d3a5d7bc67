from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "meridian.programs"
    label = "programs"
