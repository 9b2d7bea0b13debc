from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"

    def ready(self):
        # Connects the signal receivers that keep the free-text search index current.
        from . import search  # noqa: F401
