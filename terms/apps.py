from django.apps import AppConfig


class TermsConfig(AppConfig):
    name = "terms"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import rules  # noqa: F401
