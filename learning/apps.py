from django.apps import AppConfig

from notifications.jobs import register_periodic_job


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            services,
        )

        register_periodic_job("learning_overdue_reviews", services.remind_overdue_reviews)
