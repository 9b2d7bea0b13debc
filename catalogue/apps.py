from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"

    def ready(self):
        # Registers this app's permission rules with core.policy.
        # Connects the signal receivers that keep the free-text search index current.
        from . import (
            rules,  # noqa: F401
            search,  # noqa: F401
        )
