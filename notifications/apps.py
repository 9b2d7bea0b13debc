from django.apps import AppConfig

from .jobs import register_periodic_job


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # Imported here, not at the top: services imports models, which need the app registry.
        from django.db.models.signals import post_delete, post_save

        from . import inbox, services
        from .models import Notification

        register_periodic_job("prune_outbox", services.prune_outbox)
        # The header's kept unread count follows every row written or deleted.
        post_save.connect(inbox.notification_row_changed, sender=Notification, dispatch_uid="inbox-row-saved")
        post_delete.connect(inbox.notification_row_changed, sender=Notification, dispatch_uid="inbox-row-deleted")
