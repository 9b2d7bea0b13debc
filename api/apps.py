from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
