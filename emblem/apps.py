from django.apps import AppConfig


class EmblemConfig(AppConfig):
    name = "emblem"
    verbose_name = "Name and emblem"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
