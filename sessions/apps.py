from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training blocks, sessions, planned steps and logs.

    The package is ``sessions`` but the label is ``training``: Django refuses two apps labelled
    ``sessions`` and ``django.contrib.sessions`` is installed.
    """

    name = "sessions"
    label = "training"
    verbose_name = "Training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (roster changes that cut off a coach)
