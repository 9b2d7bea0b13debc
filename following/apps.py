from django.apps import AppConfig


class FollowingConfig(AppConfig):
    name = "following"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            personal_data,  # noqa: F401 - its section of the data download
            receivers,  # noqa: F401 - connects to the catalogue's and moderation's signals
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
        )
