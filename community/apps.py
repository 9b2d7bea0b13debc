from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Meet other officers"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            services,  # noqa: F401 - registers this app's inbox messages
        )
