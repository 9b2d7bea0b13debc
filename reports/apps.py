from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
