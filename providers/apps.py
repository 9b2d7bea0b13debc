from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
