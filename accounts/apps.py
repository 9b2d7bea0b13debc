from django.apps import AppConfig

from notifications.jobs import register_periodic_job


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # `services` registers the account messages of the inbox; `signals` connects receivers.
        # Imported here, not at the top: they import models, which need the app registry.
        from . import services, signals  # noqa: F401

        register_periodic_job("expire_verifications", services.expire_verifications)
        register_periodic_job("disable_inactive_accounts", services.disable_inactive_accounts)
