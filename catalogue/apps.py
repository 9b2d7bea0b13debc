from django.apps import AppConfig

from notifications.jobs import register_periodic_job


class CatalogueConfig(AppConfig):
    name = "catalogue"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            updates,
        )

        register_periodic_job("confirmation_reminders", updates.send_confirmation_reminders)
