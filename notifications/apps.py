from django.apps import AppConfig

from .jobs import register_periodic_job


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # Imported here, not at the top: services imports models, which need the app registry.
        from . import services

        register_periodic_job("prune_outbox", services.prune_outbox)
