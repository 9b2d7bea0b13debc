from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Meet other officers"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            personal_data,  # noqa: F401 - its section of the data download
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            services,  # noqa: F401 - registers this app's inbox messages
        )
