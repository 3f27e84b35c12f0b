from django.apps import AppConfig


class CoachConfig(AppConfig):
    """The project package as an app: management commands (demo, paces, workout)."""

    name = "coach"
    verbose_name = "Coach"
