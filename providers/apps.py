from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"

    def ready(self):
        # `rules` registers this app's permission rules with core.policy; `services` the
        # organisation messages of the inbox, whichever page is served first. Imported here,
        # not at the top: they import models, which need the app registry.
        from . import personal_data, rules, services  # noqa: F401
