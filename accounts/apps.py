from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        from . import (
            rules,  # noqa: F401
            signals,  # noqa: F401
        )
