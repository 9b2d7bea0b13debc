from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"

    def ready(self):
        # Registers the organisation messages of the inbox, whichever page is served first.
        # Imported here, not at the top: services import models, which need the app registry.
        from . import services  # noqa: F401
