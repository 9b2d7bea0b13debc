from django.apps import AppConfig

from notifications.jobs import register_periodic_job


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        # `rules` registers this app's permission rules with core.policy, `services` the account
        # messages of the inbox, `signals` its receivers. Imported here, not at the top: they
        # import models, which need the app registry.
        from . import rules, services, signals  # noqa: F401

        register_periodic_job("expire_verifications", services.expire_verifications)
        register_periodic_job("disable_inactive_accounts", services.disable_inactive_accounts)
        register_periodic_job("delete_disused_accounts", services.delete_disused_accounts)
