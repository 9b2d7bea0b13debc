from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"

    def ready(self):
        # Imported here, not at the top: they import models, which need the app registry.
        from . import (
            rules,  # noqa: F401 - registers this app's permission rules with core.policy
            search,  # noqa: F401 - connects the receivers that keep the search index current
        )
