from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            receivers,  # noqa: F401 - reacts to moderation's notices; adds declarers to following's audience
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
        )
